#include "MaskCheck.h"

#include "mrcae/model/InputError.h"
#include "mrcae/model/NumberText.h"
#include "mrcae/model/SettingText.h"

#include <algorithm>

namespace mrcae
{

void requireZeroOneMask(const std::vector<float>& cells, int width, const std::string& file, const std::string& subject,
                        const std::string& meaning, std::optional<Setting> setting)
{
  const auto odd = std::find_if(cells.begin(), cells.end(), [](float v) { return v != 0.0f && v != 1.0f; });
  if (odd == cells.end())
  {
    return;
  }
  const auto p = static_cast<int>(odd - cells.begin());
  throw InputError(Problem::BadFile,
                   SettingText(file + ": " + subject + " must hold 0 or 1 in each cell (" + meaning + "), but row " +
                               std::to_string(p / width) + ", column " + std::to_string(p % width) + " holds " +
                               number::shortest(*odd) + ": write the mask as 0/1"),
                   setting, file);
}

} // namespace mrcae
