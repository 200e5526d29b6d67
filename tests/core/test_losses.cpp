// Losses (SPEC.md §4.1–§4.2, §3) by hand, and the consistent land-mask mode: values under the mask cannot change
// any loss.
#include "Losses.h"

#include <QtTest>

using namespace mrcae;

class TestLosses : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void localLossByHand()
  {
    // Two snapshots of 1×2 pixels: squared errors {1, 4} and {9, 0}.
    torch::Tensor x = torch::zeros({2, 1, 1, 2});
    torch::Tensor y = torch::tensor({1.0f, 2.0f, 3.0f, 0.0f}).view({2, 1, 1, 2});
    LossParts l = localLoss(y, x, 0.5);
    QCOMPARE(l.mse.item<float>(), 3.5f); // (1+4+9+0)/4
    QCOMPARE(l.max.item<float>(), 5.0f); // per-pixel batch means {5, 2}
    QCOMPARE(l.total.item<float>(), 4.25f);
    QCOMPARE(localLoss(y, x, 0.9).total.item<float>(), 0.9f * 3.5f + 0.1f * 5.0f);
  }

  void globalLossProlongatesAndMasksTheMaxTerm()
  {
    // A constant coarse output prolongates to the same constant; the native target differs in one cell.
    ops::Prolongation p(torch::kCPU);
    torch::Tensor y = torch::full({1, 1, 3, 3}, 0.5f);
    torch::Tensor native = torch::full({1, 1, 7, 7}, 0.5f);
    native[0][0][2][3] = 1.5f; // squared error 1 in one of 49 cells
    torch::Tensor all = torch::ones({1, 1, 7, 7});
    LossParts g = globalLoss(y, native, 1, p, 0.5, all);
    QVERIFY(std::abs(g.mse.item<float>() - 1.0f / 49) < 1e-7);
    QCOMPARE(g.max.item<float>(), 1.0f);
    // The reference's mask only acts on the max term.
    torch::Tensor land = all.clone();
    land[0][0][2][3] = 0;
    LossParts masked = globalLoss(y, native, 1, p, 0.5, land);
    QCOMPARE(masked.max.item<float>(), 0.0f);
    QVERIFY(std::abs(masked.mse.item<float>() - 1.0f / 49) < 1e-7);
    // Consistent mode also takes it out of the mean.
    QCOMPARE(globalLoss(y, native, 1, p, 0.5, land, land).mse.item<float>(), 0.0f);
  }

  void valuesUnderTheMaskCannotChangeAnyLoss()
  {
    torch::manual_seed(5);
    torch::Tensor valid = (torch::rand({1, 1, 15, 15}) > 0.3).to(torch::kFloat32);
    torch::Tensor x = torch::rand({4, 1, 15, 15});
    torch::Tensor y = torch::rand({4, 1, 15, 15});
    // Change only invalid cells, wildly, in both the output and the target.
    torch::Tensor invalid = 1 - valid;
    torch::Tensor x2 = x + invalid * 100 * torch::randn({4, 1, 15, 15});
    torch::Tensor y2 = y - invalid * 50 * torch::randn({4, 1, 15, 15});
    LossParts a = localLoss(y, x, 0.5, valid), b = localLoss(y2, x2, 0.5, valid);
    QCOMPARE(a.total.item<float>(), b.total.item<float>());
    QCOMPARE(a.mse.item<float>(), b.mse.item<float>());
    QCOMPARE(pixelLossMap(y, x, valid).sum().item<float>(), pixelLossMap(y2, x2, valid).sum().item<float>());
    // Native level of the global metric (no prolongation) in consistent mode.
    ops::Prolongation p(torch::kCPU);
    QCOMPARE(globalLoss(y, x, 0, p, 0.5, valid, valid).total.item<float>(),
             globalLoss(y2, x2, 0, p, 0.5, valid, valid).total.item<float>());
    // And the masked mean is the mean over valid cells only.
    const float expected = ((y - x).square() * valid).sum().item<float>() / (valid.sum().item<float>() * 4);
    QVERIFY(std::abs(a.mse.item<float>() - expected) < 1e-6);
  }

  void pixelLossMapByHand()
  {
    // One snapshot of 3×3 with squared error 9 at the centre: L = 0.5·mean + 0.5·max = 9; box average = 1.
    torch::Tensor x = torch::zeros({1, 1, 3, 3});
    torch::Tensor y = x.clone();
    y[0][0][1][1] = 3;
    torch::Tensor s = pixelLossMap(y, x);
    QCOMPARE(s.size(0), 1);
    QCOMPARE(s.item<float>(), 1.0f);
  }
};

QTEST_GUILESS_MAIN(TestLosses)
#include "test_losses.moc"
