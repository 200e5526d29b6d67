#pragma once
// The two synthetic datasets of the paper's notebooks (SPEC.md §6), generated exactly as the reference does.

#include "mrcae/model/Dataset.h"

#include <string>

namespace mrcae
{

/// Φ(x, y, t) of toy1 ("two oscillating modes") or toy2 ("one mode drifting"), before scaling.
double toyValue(const std::string& name, double x, double y, double t);

/// The time of snapshot k of `snapshots`: linspace(0, 8π) for toy1, linspace(0, 4π) for toy2.
double toyTime(const std::string& name, int k, int snapshots);

/// data[k,i,j] = Φ(x_i, y_j, t_k) on linspace(−5, 5, n)², scaled to [0,1] with the global min and max.
/// `snapshots` and `n` default to the paper's 500 × 127 × 127. Throws InputError for other names.
Dataset generateToy(const std::string& name, int snapshots = 500, int n = 127);

} // namespace mrcae
