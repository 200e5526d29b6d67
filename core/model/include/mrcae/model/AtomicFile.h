#pragma once
// Replacing a file so that nobody ever sees half of it: the new content is written to a temporary file of its
// own in the same folder, synced to disk, and renamed over the target. A kill or crash at any moment leaves the
// old file or the new one, never a mix; two writers of the same path (processes or threads) each rename a
// complete file of their own, so the last rename wins whole. Temporaries of dead processes are removed by the
// next write to the same path.

#include <functional>
#include <string>

namespace mrcae
{

/// Runs `write(temporaryPath)`, which must create and close that file, then publishes it as `path`. Throws
/// InputError naming `path` when the folder is missing or the write fails; the temporary is removed then.
void writeFileAtomically(const std::string& path, const std::function<void(const std::string& temporaryPath)>& write);

/// Tests only: called with the temporary path after `write` finished and before the file is published.
void setAtomicWriteHook(std::function<void(const std::string& temporaryPath)> hook);

} // namespace mrcae
