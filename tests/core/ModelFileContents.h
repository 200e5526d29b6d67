#pragma once
// Shared by the model-file tests: every numeric dataset of an HDF5 file under some groups, to compare two
// saved runs value for value (weights, maps, curves, /optimizer) without going through the loader.

#include <H5Cpp.h>

#include <map>
#include <string>
#include <vector>

namespace testing
{

using Datasets = std::map<std::string, std::vector<double>>;

inline void collectDatasets(const H5::Group& g, const std::string& prefix, Datasets& out)
{
  for (hsize_t i = 0; i < g.getNumObjs(); ++i)
  {
    const std::string name = g.getObjnameByIdx(i);
    const std::string path = prefix + "/" + name;
    if (g.childObjType(name) == H5O_TYPE_GROUP)
    {
      collectDatasets(g.openGroup(name), path, out);
      continue;
    }
    H5::DataSet ds = g.openDataSet(name);
    H5::DataSpace space = ds.getSpace();
    std::vector<double> values(static_cast<size_t>(space.getSimpleExtentNpoints()));
    ds.read(values.data(), H5::PredType::NATIVE_DOUBLE);
    out[path] = values;
  }
}

/// The datasets under each of `groups` (e.g. "/weights"), by full path; groups that are absent are skipped.
inline Datasets datasetsOf(const std::string& file, const std::vector<std::string>& groups)
{
  H5::Exception::dontPrint();
  H5::H5File f(file, H5F_ACC_RDONLY);
  Datasets out;
  for (const auto& g : groups)
  {
    if (f.nameExists(g))
    {
      collectDatasets(f.openGroup(g), g, out);
    }
  }
  return out;
}

} // namespace testing
