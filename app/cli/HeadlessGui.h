#pragma once
// QPainter needs a QGuiApplication for fonts, not a display: the command-line figures create one on Qt's
// offscreen platform (unless the user chose another), so that they work over ssh and in batch jobs.

#include <QGuiApplication>

#include <memory>

namespace mrcae::cli
{

/// A QGuiApplication for the caller's scope, or null when one exists already.
std::unique_ptr<QGuiApplication> guiApplicationIfNone();

} // namespace mrcae::cli
