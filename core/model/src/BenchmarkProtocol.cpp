#include "mrcae/model/BenchmarkProtocol.h"

#include "mrcae/model/InputError.h"

#include <algorithm>

namespace mrcae
{

BenchmarkProtocol::BenchmarkProtocol(TrainingConfig base, const std::vector<Method>& methods) : base_(std::move(base))
{
  for (Method m : allValues<Method>())
  {
    if (std::find(methods.begin(), methods.end(), m) != methods.end())
    {
      methods_.push_back(m);
    }
  }
  if (methods_.empty())
  {
    throw InputError(Problem::Other,
                     SettingText() << "the benchmark needs at least one of its " << Setting::Methods << " ("
                                   << tokenList<Method>() << ")",
                     Setting::Methods);
  }
  if (!base_.useMaps())
  {
    throw InputError(Problem::NeedsTolerances,
                     SettingText() << "the benchmark starts from MrCAE (PR), which needs tolerances (" << Setting::Tols
                                   << "): the settings have none",
                     Setting::Tols);
  }
}

bool BenchmarkProtocol::reports(Method method) const
{
  return std::find(methods_.begin(), methods_.end(), method) != methods_.end();
}

std::vector<Method> BenchmarkProtocol::runOrder() const
{
  std::vector<Method> order = {Method::MrcaePr};
  for (Method m : methods_)
  {
    if (m != Method::MrcaePr)
    {
      order.push_back(m);
    }
  }
  return order;
}

TrainingConfig BenchmarkProtocol::configFor(Method method, const std::vector<std::vector<int>>& prArchitecture) const
{
  if (method == Method::MrcaePr)
  {
    return base_;
  }
  TrainingConfig c = base_;
  c.tols.clear();
  c.archs = prArchitecture;
  c.activation = activationOf(method);
  return c;
}

BenchmarkProtocol::Kind BenchmarkProtocol::kindOf(Method method)
{
  switch (method)
  {
  case Method::MrcaePr:
  case Method::MrcaeRelu: return Kind::Mrcae;
  case Method::RedNet:
  case Method::RedNetRelu: return Kind::RedNet;
  case Method::Pod:
  case Method::ZfpAccuracy:
  case Method::ZfpRate: return Kind::Compressor;
  }
  return Kind::Mrcae;
}

Activation BenchmarkProtocol::activationOf(Method method)
{
  return method == Method::MrcaeRelu || method == Method::RedNetRelu ? Activation::ReLU : Activation::Identity;
}

std::vector<Method> BenchmarkProtocol::defaultMethods()
{
  return {Method::MrcaePr, Method::MrcaeRelu, Method::RedNet};
}

std::vector<Method> BenchmarkProtocol::methodsFromList(const std::string& list)
{
  std::vector<Method> out;
  size_t begin = 0;
  while (begin <= list.size())
  {
    const size_t end = std::min(list.find(',', begin), list.size());
    const std::string item = list.substr(begin, end - begin);
    begin = end + 1;
    if (item == "zfp")
    {
      out.push_back(Method::ZfpAccuracy);
      out.push_back(Method::ZfpRate);
      continue;
    }
    const auto method = fromToken<Method>(item);
    if (!method)
    {
      throw InputError(Problem::UnknownChoice,
                       SettingText() << "unknown method '" << item << "' in " << Setting::Methods << ": use "
                                     << tokenList<Method>() << " or zfp (both ZFP modes)",
                       Setting::Methods, item);
    }
    out.push_back(*method);
  }
  return out;
}

} // namespace mrcae
