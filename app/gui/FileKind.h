#pragma once
// Which way a file the user opens (File → Open, drag and drop, Open Recent) goes: a saved model, a file for the
// import dialog (NetCDF, HDF5 of another layout), or a dataset of our layout (HDF5, .npy). Decided by the name
// and, for HDF5, by whether it has our /fields group; a damaged file goes where its name says, whose reader
// then says what is wrong with it.

#include <QString>

namespace mrcae::app
{

enum class FileKind
{
  Model,
  Import,
  Dataset
};

FileKind fileKind(const QString& path);

} // namespace mrcae::app
