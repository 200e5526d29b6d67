#pragma once
// What must happen before QApplication exists, shared by mrcae-studio and its tests: malloc tuning (large
// tensors churn every step; mmap/munmap for each would fault pages in and flush TLBs of every thread, the GUI's
// included), the OpenGL format VTK needs, and shared GL contexts for views that move between windows.

namespace mrcae::app
{

class ApplicationSetup
{
public:
  static void beforeQApplication();
};

} // namespace mrcae::app
