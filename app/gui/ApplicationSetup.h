#pragma once
// What must happen before QApplication exists, shared by mrcae-studio and its tests: malloc tuning (large
// tensors churn every step; mmap/munmap for each would fault pages in and flush TLBs of every thread, the GUI's
// included), the OpenGL format VTK needs, and shared GL contexts for views that move between windows. And what
// must happen right after: the C library's numbers back in the "C" locale.

namespace mrcae::app
{

class ApplicationSetup
{
public:
  static void beforeQApplication();
  /// QApplication calls setlocale(LC_ALL, "") on Unix, after which printf, strtod and std::to_string(double)
  /// write and read "0,5" under a German locale. Numbers in files must not (Qt's own advice: reset LC_NUMERIC
  /// to "C" after creating the application). Text for people follows their locale through QLocale, which reads
  /// LANG and LC_* itself; the code that writes files does not rely on this (mrcae/model/NumberText.h).
  static void afterQApplication();
};

} // namespace mrcae::app
