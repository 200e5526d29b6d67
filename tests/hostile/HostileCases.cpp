#include "HostileCases.h"

#include "mrcae/engine/Trainer.h"
#include "mrcae/model/DatasetIO.h"
#include "mrcae/model/NpyFile.h"
#include "mrcae/model/ToyData.h"

#include <H5Cpp.h>
#ifdef MRCAE_HOSTILE_NETCDF
#include <netcdf.h>
#endif
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace hostile
{

namespace
{

constexpr int kT = 12, kN = 31;

QString pathIn(const Fixtures& f, const char* name)
{
  return f.dir + "/" + QString::fromLatin1(name);
}

QByteArray readAll(const QString& path)
{
  QFile in(path);
  in.open(QIODevice::ReadOnly);
  return in.readAll();
}

QString writeAll(const QString& path, const QByteArray& bytes)
{
  QFile out(path);
  out.open(QIODevice::WriteOnly | QIODevice::Truncate);
  out.write(bytes);
  return path;
}

QString copyOf(const QString& from, const QString& to)
{
  return writeAll(to, readAll(from));
}

/// A .npy file with a header of our choosing (version `major`), then `payload`.
QString rawNpy(const QString& path, const std::string& dict, const QByteArray& payload, int major = 1)
{
  std::string header = dict;
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  QByteArray bytes("\x93NUMPY", 6);
  bytes.append(static_cast<char>(major));
  bytes.append('\0');
  bytes.append(static_cast<char>(header.size() & 0xFF));
  bytes.append(static_cast<char>(header.size() >> 8));
  bytes.append(header.data(), static_cast<int>(header.size()));
  bytes.append(payload);
  return writeAll(path, bytes);
}

std::vector<float> goodField()
{
  return mrcae::generateToy("toy2", kT, kN).field.data;
}

QByteArray floatBytes(const std::vector<float>& v)
{
  return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<int>(v.size() * sizeof(float)));
}

/// An .npy of toy2 with one value replaced.
QString npyWith(const QString& path, float value, int at)
{
  std::vector<float> v = goodField();
  v[at] = value;
  mrcae::writeNpy(path.toStdString(), {kT, kN, kN}, v);
  return path;
}

/// An HDF5 file with /fields/u of the given shape and values (float32), and an optional body for the rest.
QString h5Field(const QString& path, const std::vector<hsize_t>& dims, const std::vector<float>& values,
                const std::function<void(H5::H5File&, H5::DataSet&)>& more = {})
{
  H5::H5File file(path.toStdString(), H5F_ACC_TRUNC);
  H5::Group fields = file.createGroup("fields");
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  H5::DataSet ds = fields.createDataSet("u", H5::PredType::NATIVE_FLOAT, space);
  if (!values.empty())
  {
    ds.write(values.data(), H5::PredType::NATIVE_FLOAT);
  }
  if (more)
  {
    more(file, ds);
  }
  return path;
}

void stringAttribute(H5::H5Object& obj, const char* name, const std::string& value)
{
  if (obj.attrExists(name))
  {
    obj.removeAttr(name);
  }
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  a.write(type, value);
}

void doubleAttribute(H5::H5Object& obj, const char* name, double value)
{
  if (obj.attrExists(name))
  {
    obj.removeAttr(name);
  }
  H5::Attribute a = obj.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_DOUBLE, &value);
}

/// A copy of the good model changed by `change` (opened read-write).
QString modelWith(const Fixtures& f, const char* name, const std::function<void(H5::H5File&)>& change)
{
  const QString path = copyOf(f.goodModel, pathIn(f, name));
  H5::H5File file(path.toStdString(), H5F_ACC_RDWR);
  change(file);
  return path;
}

void replaceFloats(H5::H5File& file, const std::string& name, const std::vector<hsize_t>& dims, float fill)
{
  if (file.nameExists(name))
  {
    file.unlink(name);
  }
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  H5::DataSet ds = file.createDataSet(name, H5::PredType::NATIVE_FLOAT, space);
  hsize_t n = 1;
  for (hsize_t d : dims)
  {
    n *= d;
  }
  std::vector<float> v(n, fill);
  ds.write(v.data(), H5::PredType::NATIVE_FLOAT);
}

std::string readJson(H5::H5Object& obj)
{
  H5::Attribute a = obj.openAttribute("json");
  std::string text;
  a.read(a.getStrType(), text);
  return text;
}

/// The model's /config JSON with `from` replaced by `to` (the first time it occurs).
void editConfig(H5::H5File& file, const std::string& from, const std::string& to)
{
  H5::Group config = file.openGroup("config");
  std::string json = readJson(config);
  const size_t at = json.find(from);
  if (at == std::string::npos)
  {
    throw std::runtime_error("fixture: '" + from + "' not in the model's config: " + json);
  }
  json.replace(at, from.size(), to);
  stringAttribute(config, "json", json);
}

#ifdef MRCAE_HOSTILE_NETCDF
void ncOk(int status)
{
  if (status != NC_NOERR)
  {
    throw std::runtime_error(std::string("fixture: ") + nc_strerror(status));
  }
}

/// A classic NetCDF file with one float variable u over `dims` (named time, y, x, ... from the left), holding
/// `values` (toy2 when empty).
QString ncFile(const QString& path, const std::vector<size_t>& dims, std::vector<float> values = {})
{
  static const char* names[] = {"time", "y", "x", "extra"};
  int nc = -1;
  ncOk(nc_create(path.toStdString().c_str(), NC_CLOBBER, &nc));
  std::vector<int> ids(dims.size());
  size_t n = 1;
  for (size_t a = 0; a < dims.size(); ++a)
  {
    ncOk(nc_def_dim(nc, names[dims.size() == 2 ? a + 1 : a], dims[a], &ids[a]));
    n *= dims[a];
  }
  int var = -1;
  ncOk(nc_def_var(nc, "u", NC_FLOAT, static_cast<int>(ids.size()), ids.data(), &var));
  ncOk(nc_enddef(nc));
  if (values.empty())
  {
    values = goodField();
  }
  values.resize(n, 0.5f);
  ncOk(nc_put_var_float(nc, var, values.data()));
  ncOk(nc_close(nc));
  return path;
}
#endif

std::vector<Case> makeCases()
{
  using T = Target;
  const auto f32 = [](std::initializer_list<hsize_t> d) { return std::vector<hsize_t>(d); };
  std::vector<Case> c;
  // ---- .npy datasets
  c.push_back({"npy_empty_file",
               T::Dataset,
               [](const Fixtures& f) { return writeAll(pathIn(f, "empty.npy"), {}); },
               {"not a .npy file"}});
  c.push_back({"npy_text_file",
               T::Dataset,
               [](const Fixtures& f) { return writeAll(pathIn(f, "text.npy"), "time,u\n0,1\n"); },
               {"not a .npy file"}});
  c.push_back({"npy_magic_only",
               T::Dataset,
               [](const Fixtures& f) { return writeAll(pathIn(f, "magic.npy"), readAll(f.goodNpy).left(8)); },
               {"truncated"}});
  c.push_back({"npy_byte_flipped_magic",
               T::Dataset,
               [](const Fixtures& f) {
                 QByteArray b = readAll(f.goodNpy);
                 b[1] = static_cast<char>(b[1] ^ 0xFF);
                 return writeAll(pathIn(f, "flipped.npy"), b);
               },
               {"not a .npy file"}});
  c.push_back({"npy_unknown_version",
               T::Dataset,
               [](const Fixtures& f) {
                 return rawNpy(pathIn(f, "v9.npy"), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 3), }",
                               QByteArray(72, '\0'), 9);
               },
               {"version 9"}});
  c.push_back({"npy_header_length_lies",
               T::Dataset,
               [](const Fixtures& f) {
                 QByteArray b = readAll(f.goodNpy);
                 b[8] = '\xFF';
                 b[9] = '\xFF';
                 return writeAll(pathIn(f, "headerlen.npy"), b.left(200));
               },
               {"header"}});
  c.push_back({"npy_lying_huge_shape",
               T::Dataset,
               [](const Fixtures& f) {
                 return rawNpy(pathIn(f, "huge.npy"),
                               "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000, 1000000), }",
                               QByteArray(64, '\0'));
               },
               {"truncated"}});
  c.push_back({"npy_negative_shape",
               T::Dataset,
               [](const Fixtures& f) {
                 return rawNpy(pathIn(f, "negative.npy"),
                               "{'descr': '<f4', 'fortran_order': False, 'shape': (-5, 31, 31), }",
                               QByteArray(64, '\0'));
               },
               {"shape"}});
  c.push_back({"npy_garbage_shape",
               T::Dataset,
               [](const Fixtures& f) {
                 return rawNpy(pathIn(f, "garbage.npy"), "{'descr': '<f4', 'fortran_order': False, 'shape': (a, b), }",
                               QByteArray(64, '\0'));
               },
               {"shape"}});
  c.push_back({"npy_no_descr",
               T::Dataset,
               [](const Fixtures& f) {
                 return rawNpy(pathIn(f, "nodescr.npy"), "{'fortran_order': False, 'shape': (2, 3, 3), }",
                               QByteArray(72, '\0'));
               },
               {"descr"}});
  c.push_back({"npy_truncated_data",
               T::Dataset,
               [](const Fixtures& f) {
                 const QByteArray b = readAll(f.goodNpy);
                 return writeAll(pathIn(f, "truncated.npy"), b.left(b.size() / 2));
               },
               {"truncated"}});
  c.push_back({"npy_complex_dtype",
               T::Dataset,
               [](const Fixtures& f) {
                 return rawNpy(pathIn(f, "complex.npy"),
                               "{'descr': '<c8', 'fortran_order': False, 'shape': (2, 3, 3), }", QByteArray(144, '\0'));
               },
               {"dtype"}});
  c.push_back({"npy_string_dtype",
               T::Dataset,
               [](const Fixtures& f) {
                 return rawNpy(pathIn(f, "strings.npy"),
                               "{'descr': '<U4', 'fortran_order': False, 'shape': (2, 3, 3), }", QByteArray(288, 'a'));
               },
               {"dtype"}});
  c.push_back({"npy_rank_2",
               T::Dataset,
               [](const Fixtures& f) {
                 const QString p = pathIn(f, "rank2.npy");
                 mrcae::writeNpy(p.toStdString(), {kN, kN}, std::vector<float>(kN * kN, 0.5f));
                 return p;
               },
               {"rank 2"}});
  c.push_back(
      {"npy_nan_value",
       T::Dataset,
       [](const Fixtures& f) { return npyWith(pathIn(f, "nan.npy"), std::numeric_limits<float>::quiet_NaN(), 40); },
       {"NaN"}});
  c.push_back(
      {"npy_infinite_value",
       T::Dataset,
       [](const Fixtures& f) { return npyWith(pathIn(f, "inf.npy"), std::numeric_limits<float>::infinity(), 40); },
       {"infinite"}});
  c.push_back({"npy_constant_field",
               T::Dataset,
               [](const Fixtures& f) {
                 const QString p = pathIn(f, "constant.npy");
                 mrcae::writeNpy(p.toStdString(), {kT, kN, kN}, std::vector<float>(kT * kN * kN, 3.0f));
                 return p;
               },
               {"constant"}});
  c.push_back({"npy_no_snapshots",
               T::Dataset,
               [](const Fixtures& f) {
                 return rawNpy(pathIn(f, "zero.npy"),
                               "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 31, 31), }", {});
               },
               {"no snapshots"}});
  c.push_back({"npy_is_a_folder",
               T::Dataset,
               [](const Fixtures& f) {
                 const QString p = pathIn(f, "folder.npy");
                 QDir().mkpath(p);
                 return p;
               },
               {"folder"}});
  c.push_back({"npy_mask_of_wrong_shape",
               T::Dataset,
               [](const Fixtures& f) {
                 mrcae::writeNpy(pathIn(f, "mask10.npy").toStdString(), {10, 10}, std::vector<float>(100, 0.0f));
                 return copyOf(f.goodNpy, pathIn(f, "masked.npy"));
               },
               {"mask", "10"},
               {"--mask", "{dir}/mask10.npy"}});
  c.push_back({"npy_mask_not_0_or_1",
               T::Dataset,
               [](const Fixtures& f) {
                 mrcae::writeNpy(pathIn(f, "maskhalf.npy").toStdString(), {kN, kN}, std::vector<float>(kN * kN, 0.5f));
                 return copyOf(f.goodNpy, pathIn(f, "maskedhalf.npy"));
               },
               {"land mask", "0 or 1"},
               {"--mask", "{dir}/maskhalf.npy"}});
  // ---- HDF5 datasets
  c.push_back({"h5_text_file",
               T::Dataset,
               [](const Fixtures& f) { return writeAll(pathIn(f, "text.h5"), "not an HDF5 file\n"); },
               {"not an HDF5 file"}});
  c.push_back({"h5_truncated",
               T::Dataset,
               [](const Fixtures& f) { return writeAll(pathIn(f, "truncated.h5"), readAll(f.goodH5).left(2048)); },
               {"truncated"}});
  c.push_back({"h5_byte_flipped_superblock",
               T::Dataset,
               [](const Fixtures& f) {
                 QByteArray b = readAll(f.goodH5);
                 for (int i = 0; i < 64; ++i)
                 {
                   b[i] = static_cast<char>(b[i] ^ 0x5A);
                 }
                 return writeAll(pathIn(f, "flipped.h5"), b);
               },
               {"not an HDF5 file"}});
  c.push_back({"h5_without_fields",
               T::Dataset,
               [](const Fixtures& f) {
                 H5::H5File file(pathIn(f, "nofields.h5").toStdString(), H5F_ACC_TRUNC);
                 file.createGroup("other");
                 return pathIn(f, "nofields.h5");
               },
               {"/fields"}});
  c.push_back({"h5_field_of_rank_2",
               T::Dataset,
               [f32](const Fixtures& f) {
                 return h5Field(pathIn(f, "rank2.h5"), f32({kN, kN}), std::vector<float>(kN * kN, 0.5f));
               },
               {"rank 2"}});
  c.push_back({"h5_field_of_strings",
               T::Dataset,
               [](const Fixtures& f) {
                 const QString p = pathIn(f, "strings.h5");
                 H5::H5File file(p.toStdString(), H5F_ACC_TRUNC);
                 H5::Group fields = file.createGroup("fields");
                 const hsize_t dims[3] = {2, 3, 3};
                 H5::StrType type(H5::PredType::C_S1, 4);
                 H5::DataSet ds = fields.createDataSet("u", type, H5::DataSpace(3, dims));
                 std::string text(72, 'a');
                 ds.write(text.data(), type);
                 return p;
               },
               {"not numeric"}});
  c.push_back({"h5_nan_value",
               T::Dataset,
               [f32](const Fixtures& f) {
                 std::vector<float> v = goodField();
                 v[100] = std::numeric_limits<float>::quiet_NaN();
                 return h5Field(pathIn(f, "nan.h5"), f32({kT, kN, kN}), v);
               },
               {"NaN"}});
  c.push_back({"h5_valid_mask_wrong_shape",
               T::Dataset,
               [f32](const Fixtures& f) {
                 return h5Field(pathIn(f, "valid10.h5"), f32({kT, kN, kN}), goodField(),
                                [](H5::H5File& file, H5::DataSet&) {
                                  const hsize_t dims[2] = {10, 10};
                                  std::vector<std::uint8_t> ones(100, 1);
                                  file.createDataSet("valid", H5::PredType::NATIVE_UINT8, H5::DataSpace(2, dims))
                                      .write(ones.data(), H5::PredType::NATIVE_UINT8);
                                });
               },
               {"/valid", "10"}});
  c.push_back({"h5_valid_mask_not_0_or_1",
               T::Dataset,
               [f32](const Fixtures& f) {
                 return h5Field(pathIn(f, "validhalf.h5"), f32({kT, kN, kN}), goodField(),
                                [](H5::H5File& file, H5::DataSet&) {
                                  const hsize_t dims[2] = {kN, kN};
                                  std::vector<float> half(kN * kN, 0.5f);
                                  file.createDataSet("valid", H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, dims))
                                      .write(half.data(), H5::PredType::NATIVE_FLOAT);
                                });
               },
               {"/valid", "0 or 1"}});
  c.push_back({"h5_scaling_attribute_is_text",
               T::Dataset,
               [f32](const Fixtures& f) {
                 return h5Field(pathIn(f, "attrtext.h5"), f32({kT, kN, kN}), goodField(),
                                [](H5::H5File&, H5::DataSet& ds) {
                                  stringAttribute(ds, "original_min", "low");
                                  doubleAttribute(ds, "original_max", 1.0);
                                });
               },
               {"original_min", "number"}});
  c.push_back({"h5_scaling_attributes_reversed",
               T::Dataset,
               [f32](const Fixtures& f) {
                 return h5Field(pathIn(f, "attrrange.h5"), f32({kT, kN, kN}), goodField(),
                                [](H5::H5File&, H5::DataSet& ds) {
                                  doubleAttribute(ds, "original_min", 5.0);
                                  doubleAttribute(ds, "original_max", 1.0);
                                });
               },
               {"original_min", "original_max"}});
  c.push_back({"h5_size_that_fits_no_level",
               T::Dataset,
               [f32](const Fixtures& f) {
                 return h5Field(pathIn(f, "size30.h5"), f32({kT, 30, 30}), std::vector<float>(kT * 900, 0.25f),
                                [](H5::H5File&, H5::DataSet& ds) {
                                  std::vector<float> v(kT * 900);
                                  for (size_t i = 0; i < v.size(); ++i)
                                  {
                                    v[i] = static_cast<float>(i % 17) / 16.0f;
                                  }
                                  ds.write(v.data(), H5::PredType::NATIVE_FLOAT);
                                });
               },
               {"30x30", "crop"}});
  c.push_back({"h5_no_snapshots",
               T::Dataset,
               [f32](const Fixtures& f) {
                 return h5Field(pathIn(f, "zero.h5"), f32({0, kN, kN}), {});
               },
               {"no snapshots"}});
  c.push_back({"h5_huge_shape",
               T::Dataset,
               [](const Fixtures& f) {
                 // 100000 x 1023 x 1023 float32 (390 GiB) declared, chunked and never written: a small file.
                 const QString p = pathIn(f, "huge.h5");
                 H5::H5File file(p.toStdString(), H5F_ACC_TRUNC);
                 H5::Group fields = file.createGroup("fields");
                 const hsize_t dims[3] = {100000, 1023, 1023}, chunk[3] = {1, 1023, 1023};
                 H5::DSetCreatPropList props;
                 props.setChunk(3, chunk);
                 fields.createDataSet("u", H5::PredType::NATIVE_FLOAT, H5::DataSpace(3, dims), props);
                 return p;
               },
               {"memory"}});
  c.push_back({"h5_is_a_folder",
               T::Dataset,
               [](const Fixtures& f) {
                 const QString p = pathIn(f, "folder.h5");
                 QDir().mkpath(p);
                 return p;
               },
               {"folder"}});
  c.push_back(
      {"h5_missing_file", T::Dataset, [](const Fixtures& f) { return pathIn(f, "no-such-file.h5"); }, {"not found"}});
  // ---- models
  c.push_back({"model_truncated",
               T::Model,
               [](const Fixtures& f) {
                 const QByteArray b = readAll(f.goodModel);
                 return writeAll(pathIn(f, "truncated.mrcae.h5"), b.left(b.size() / 2));
               },
               {"truncated"}});
  c.push_back({"model_byte_flipped",
               T::Model,
               [](const Fixtures& f) {
                 QByteArray b = readAll(f.goodModel);
                 for (int i = 0; i < 64; ++i)
                 {
                   b[i] = static_cast<char>(b[i] ^ 0x5A);
                 }
                 return writeAll(pathIn(f, "flipped.mrcae.h5"), b);
               },
               {"not an HDF5 file"}});
  c.push_back(
      {"model_without_weights",
       T::Model,
       [](const Fixtures& f) { return modelWith(f, "noweights.mrcae.h5", [](H5::H5File& m) { m.unlink("weights"); }); },
       {"/weights"}});
  c.push_back({"model_missing_weight",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "missing.mrcae.h5", [](H5::H5File& m) { m.unlink("weights/L0_Conv_0/bias"); });
               },
               {"L0_Conv_0/bias", "missing"}});
  c.push_back({"model_weight_of_wrong_shape",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "wrongshape.mrcae.h5", [](H5::H5File& m) {
                   replaceFloats(m, "weights/L0_Conv_0/weight", {2, 1, 3, 3}, 0.01f);
                 });
               },
               {"L0_Conv_0/weight", "shape"}});
  c.push_back({"model_oversized_weight",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "oversized.mrcae.h5", [](H5::H5File& m) {
                   replaceFloats(m, "weights/L0_deConv_0/weight", {1, 1, 300, 300}, 0.01f);
                 });
               },
               {"L0_deConv_0/weight", "shape"}});
  c.push_back({"model_extra_weight",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "extra.mrcae.h5", [](H5::H5File& m) {
                   m.createGroup("weights/L7_Conv_0");
                   replaceFloats(m, "weights/L7_Conv_0/weight", {1, 1, 3, 3}, 0.01f);
                 });
               },
               {"L7_Conv_0"}});
  c.push_back({"model_nan_weight",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "nanweight.mrcae.h5", [](H5::H5File& m) {
                   replaceFloats(m, "weights/L1_Conv_0/weight", {1, 1, 3, 3}, std::numeric_limits<float>::quiet_NaN());
                 });
               },
               {"L1_Conv_0/weight", "NaN"}});
  c.push_back({"model_config_json_cut_off",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "cutjson.mrcae.h5", [](H5::H5File& m) {
                   H5::Group config = m.openGroup("config");
                   const std::string json = readJson(config);
                   stringAttribute(config, "json", json.substr(0, json.size() / 2));
                 });
               },
               {"/config"}});
  c.push_back({"model_config_json_with_nan",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "nanjson.mrcae.h5",
                                  [](H5::H5File& m) { editConfig(m, "\"lr\":0.001", "\"lr\":NaN"); });
               },
               {"/config"}});
  c.push_back({"model_config_out_of_range",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "levels40.mrcae.h5",
                                  [](H5::H5File& m) { editConfig(m, "\"levels\":2", "\"levels\":40"); });
               },
               {"levels", "40"}});
  c.push_back({"model_history_damaged",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "history.mrcae.h5", [](H5::H5File& m) {
                   H5::Group history = m.openGroup("history");
                   stringAttribute(history, "json", "[{\"stage\": \"first\"}]");
                 });
               },
               {"/history"}});
  c.push_back({"model_from_a_newer_version",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "newer.mrcae.h5", [](H5::H5File& m) {
                   H5::Group root = m.openGroup("/");
                   root.removeAttr("format_version");
                   const long long v = 99;
                   root.createAttribute("format_version", H5::PredType::NATIVE_LLONG, H5::DataSpace(H5S_SCALAR))
                       .write(H5::PredType::NATIVE_LLONG, &v);
                 });
               },
               {"newer"}});
  c.push_back({"model_format_attribute_not_text",
               T::Model,
               [](const Fixtures& f) {
                 return modelWith(f, "formatint.mrcae.h5", [](H5::H5File& m) {
                   H5::Group root = m.openGroup("/");
                   root.removeAttr("format");
                   doubleAttribute(root, "format", 7.0);
                 });
               },
               {"format"}});
  c.push_back({"model_is_a_dataset",
               T::Model,
               [](const Fixtures& f) { return copyOf(f.goodH5, pathIn(f, "data-not-model.h5")); },
               {"not a MrCAE model"}});
  c.push_back({"model_is_a_folder",
               T::Model,
               [](const Fixtures& f) {
                 const QString p = pathIn(f, "folder.mrcae.h5");
                 QDir().mkpath(p);
                 return p;
               },
               {"folder"}});
#ifdef MRCAE_HOSTILE_NETCDF
  // ---- NetCDF files to import
  c.push_back({"nc_text_file",
               T::Import,
               [](const Fixtures& f) { return writeAll(pathIn(f, "text.nc"), "netcdf u { dimensions: x = 3 ; }\n"); },
               {"NetCDF"}});
  c.push_back({"nc_truncated",
               T::Import,
               [](const Fixtures& f) {
                 const QByteArray b = readAll(f.goodNc);
                 return writeAll(pathIn(f, "truncated.nc"), b.left(b.size() / 3));
               },
               {"NetCDF"}});
  c.push_back({"nc_byte_flipped_magic",
               T::Import,
               [](const Fixtures& f) {
                 QByteArray b = readAll(f.goodNc);
                 for (int i = 0; i < 4; ++i)
                 {
                   b[i] = static_cast<char>(b[i] ^ 0x5A);
                 }
                 return writeAll(pathIn(f, "flipped.nc"), b);
               },
               {"NetCDF"}});
  c.push_back({"nc_only_a_2d_variable",
               T::Import,
               [](const Fixtures& f) {
                 return ncFile(pathIn(f, "flat.nc"), {kN, kN}, std::vector<float>(kN * kN, 0.25f));
               },
               {"(time, y, x)"}});
  c.push_back({"nc_is_a_folder",
               T::Import,
               [](const Fixtures& f) {
                 const QString p = pathIn(f, "folder.nc");
                 QDir().mkpath(p);
                 return p;
               },
               {"folder"}});
#endif
  return c;
}

} // namespace

Fixtures makeFixtures(const QString& dir)
{
  Fixtures f;
  f.dir = dir;
  f.goodH5 = dir + "/good.h5";
  f.goodNpy = dir + "/good.npy";
  f.goodModel = dir + "/good.mrcae.h5";
  mrcae::Dataset data = mrcae::generateToy("toy2", kT, kN);
  mrcae::writeDataset(data, f.goodH5.toStdString());
  mrcae::writeNpy(f.goodNpy.toStdString(), {kT, kN, kN}, data.field.data);
#ifdef MRCAE_HOSTILE_NETCDF
  f.goodNc = ncFile(dir + "/good.nc", {kT, kN, kN});
#endif
  mrcae::TrainingConfig config = mrcae::TrainingConfig::preset("toy2");
  config.levels = 2;
  config.archs.resize(2);
  config.tols.resize(2);
  config.steps = {2, 2};
  config.threads = 1;
  mrcae::Trainer trainer(mrcae::readDataset(f.goodH5.toStdString()), config);
  trainer.run();
  trainer.save(f.goodModel.toStdString());
  return f;
}

const std::vector<Case>& cases()
{
  static const std::vector<Case> all = makeCases();
  return all;
}

const Case* findCase(const QString& name)
{
  for (const Case& c : cases())
  {
    if (name == c.name)
    {
      return &c;
    }
  }
  return nullptr;
}

QString judge(const Case& c, const QString& path, const QString& message)
{
  const QString text = message.trimmed();
  if (text.isEmpty())
  {
    return "accepted: no error at all";
  }
  if (text.contains('\n'))
  {
    return "more than one line: " + text;
  }
  if (text.contains("internal error", Qt::CaseInsensitive) || text.contains("std::", Qt::CaseInsensitive))
  {
    return "an internal error, not a refusal: " + text;
  }
  if (!text.contains(QFileInfo(path).fileName()))
  {
    return "does not name the file " + QFileInfo(path).fileName() + ": " + text;
  }
  // The fragments must be in what the message says, not in the file's name ("nan.npy" does not say NaN).
  QString said = text;
  said.remove(path).remove(QFileInfo(path).fileName());
  for (const QString& fragment : c.fragments)
  {
    if (!said.contains(fragment, Qt::CaseInsensitive))
    {
      return "does not say '" + fragment + "': " + text;
    }
  }
  return {};
}

} // namespace hostile
