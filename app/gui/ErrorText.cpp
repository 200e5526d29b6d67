#include "ErrorText.h"

#include <QCoreApplication>

#include <map>

namespace mrcae::app
{

namespace
{

using mrcae::Setting;

QString tr(const char* text)
{
  return QCoreApplication::translate("mrcae::app::ErrorText", text);
}

enum class Place
{
  None,
  Training,
  Advanced,
  Dataset,
  Import,
  Benchmark
};

struct Control
{
  const char* label;
  Place place;
};

/// The controls of the window, by the setting they set (widgets/TrainingPanel.cpp, DatasetPanel.cpp,
/// BenchmarkPanel.cpp, app/gui/ImportDialog.cpp). A setting missing here has no control.
const std::map<Setting, Control>& controls()
{
  static const std::map<Setting, Control> table = {
      {Setting::Preset, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Preset"), Place::Training}},
      {Setting::Levels, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Levels"), Place::Training}},
      {Setting::Archs, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Widths"), Place::Training}},
      {Setting::Tols, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Tolerances"), Place::Training}},
      {Setting::Steps, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Steps"), Place::Training}},
      {Setting::Batch, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Batch"), Place::Training}},
      {Setting::LearningRate, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Learning rate"), Place::Training}},
      {Setting::W, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "w"), Place::Training}},
      {Setting::InitStd, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Init std"), Place::Training}},
      {Setting::Activation, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Activation"), Place::Training}},
      {Setting::Seed, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Seed"), Place::Training}},
      {Setting::Device, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Device"), Place::Training}},
      {Setting::Threads, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Threads"), Place::Training}},
      {Setting::SelectOn, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Best state by"), Place::Advanced}},
      {Setting::LandMask, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Land mask"), Place::Advanced}},
      {Setting::TrainFraction, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Train fraction"), Place::Advanced}},
      {Setting::ValFraction, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Validation fraction"), Place::Advanced}},
      {Setting::SlowConvergence, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Slow progress"), Place::Advanced}},
      {Setting::AdamEps, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Adam eps"), Place::Advanced}},
      {Setting::WeightDecay, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Weight decay"), Place::Advanced}},
      {Setting::ConstantDeepenInit,
       {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "constant deepen init"), Place::Advanced}},
      {Setting::SizePolicy, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Size"), Place::Dataset}},
      {Setting::Methods, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "methods"), Place::Benchmark}},
      {Setting::Variable, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Variable"), Place::Import}},
      {Setting::VariableList, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Variable"), Place::Import}},
      {Setting::TimeAxis, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Time axis"), Place::Import}},
      {Setting::AxisIndex, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "at index"), Place::Import}},
      {Setting::ImportLevels, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "L ="), Place::Import}},
      {Setting::MaskMode, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "Land mask"), Place::Import}},
      {Setting::NanAsFill, {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "NaN values are fill"), Place::Import}},
      {Setting::DropEmptySnapshots,
       {QT_TRANSLATE_NOOP("mrcae::app::ErrorText", "leave out snapshots that are entirely fill"), Place::Import}},
  };
  return table;
}

QString placeName(Place p)
{
  switch (p)
  {
  case Place::Training: return tr("the Training panel");
  case Place::Advanced: return tr("the Training panel (Advanced)");
  case Place::Dataset: return tr("the Dataset panel");
  case Place::Import: return tr("the import dialog");
  case Place::Benchmark: return tr("the Benchmark tab");
  case Place::None: break;
  }
  return QString();
}

std::optional<std::string> namer(Setting s)
{
  const auto name = controlName(s);
  return name ? std::optional<std::string>(name->toStdString()) : std::nullopt;
}

} // namespace

std::optional<QString> controlName(Setting setting)
{
  const auto it = controls().find(setting);
  if (it == controls().end())
  {
    return std::nullopt;
  }
  return QStringLiteral("“%1”").arg(tr(it->second.label));
}

QString controlPlace(Setting setting)
{
  const auto it = controls().find(setting);
  return it == controls().end() ? QString() : placeName(it->second.place);
}

WindowError windowError(const mrcae::InputError& e)
{
  WindowError out;
  out.what = QString::fromStdString(e.phrased(namer));
  // A sentence of the core starts in lower case (the command line puts "mrcae: error:" before it).
  if (!out.what.isEmpty() && out.what.front().isLower())
  {
    out.what.front() = out.what.front().toUpper();
  }
  const std::optional<Setting> s = e.setting();
  const std::optional<QString> control = s ? controlName(*s) : std::nullopt;
  switch (e.problem())
  {
  case mrcae::Problem::SizeDoesNotFit:
    out.toDo = tr("Choose crop or pad under %1 in the Dataset panel, or fewer %2 in the Training panel.")
                   .arg(*controlName(Setting::SizePolicy), *controlName(Setting::Levels));
    break;
  case mrcae::Problem::MemoryRefused:
    out.toDo = tr("Lower %1 in the Training panel, or open fewer snapshots or a cropped field.")
                   .arg(*controlName(Setting::Batch));
    break;
  case mrcae::Problem::NeedsTolerances:
    out.toDo = tr("Set %1 in the Training panel, or choose a preset without “-relu”.").arg(*controlName(Setting::Tols));
    break;
  case mrcae::Problem::FileNotFound: out.toDo = tr("Check the file name, or choose another file."); break;
  case mrcae::Problem::NotAModelFile:
    out.toDo = tr("Open it as a dataset (File → Open), or choose a model file (.mrcae.h5).");
    break;
  case mrcae::Problem::BadFile: out.toDo = tr("Choose another file."); break;
  default:
    if (control)
    {
      out.toDo = tr("Correct %1 in %2.").arg(*control, controlPlace(*s));
    }
    break;
  }
  return out;
}

QString windowText(const std::exception& error)
{
  if (const auto* input = dynamic_cast<const mrcae::InputError*>(&error))
  {
    return windowError(*input).what;
  }
  return QString::fromStdString(error.what());
}

QString windowText(const mrcae::SettingText& text)
{
  return QString::fromStdString(text.str(namer));
}

} // namespace mrcae::app
