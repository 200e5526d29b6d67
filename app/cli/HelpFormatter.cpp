#include "HelpFormatter.h"

#include <sstream>

namespace mrcae::cli
{

namespace
{

/// `text` wrapped at `width` columns, every line indented by `indent` spaces.
std::string wrapped(const std::string& text, size_t indent, size_t width)
{
  std::istringstream words(text);
  std::string out, line;
  for (std::string w; words >> w;)
  {
    if (!line.empty() && indent + line.size() + 1 + w.size() > width)
    {
      out += std::string(indent, ' ') + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty())
  {
    out += std::string(indent, ' ') + line + "\n";
  }
  return out;
}

} // namespace

std::string HelpFormatter::arguments(const CLI::App* app)
{
  std::string out;
  for (const CLI::Option* o : app->get_options([](const CLI::Option* opt) { return opt->get_positional(); }))
  {
    out += o->get_name() + " ";
  }
  const bool hasSubcommands = !app->get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); }).empty();
  return out + (hasSubcommands ? "COMMAND [options]" : "[options]");
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string name) const
{
  return "usage: " + name + " " + arguments(app) + "\n";
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const
{
  return "  " + sub->get_parent()->get_name() + " " + sub->get_name() + " " + arguments(sub) + "\n" +
         wrapped(sub->get_description(), 6, 112);
}

std::string HelpFormatter::make_option(const CLI::Option* opt, bool positional) const
{
  const size_t column = get_column_width(), width = 112;
  const std::string left = "  " + (positional ? opt->get_name() : make_option_name(opt, false) + make_option_opts(opt));
  const std::string help = wrapped(make_option_desc(opt), column, width);
  if (left.size() + 1 >= column || help.empty())
  {
    return left + "\n" + help;
  }
  return left + std::string(column - left.size(), ' ') + help.substr(column);
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const
{
  std::string out = CLI::Formatter::make_help(app, std::move(name), mode);
  for (size_t at = out.find("\n\n\n"); at != std::string::npos; at = out.find("\n\n\n", at))
  {
    out.erase(at, 1);
  }
  return out;
}

} // namespace mrcae::cli
