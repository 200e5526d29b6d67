// Fixed operators against arrays computed by hand (SPEC.md §1.3, §1.4, §3).
#include "Operators.h"
#include "StrideTwoConv.h"

#include <QtTest>

using namespace mrcae;

class TestOperators : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void restrictionKeepsOddIndices()
  {
    torch::Tensor x = torch::arange(49, torch::kFloat32).view({1, 1, 7, 7});
    torch::Tensor c = ops::restrict(x, 1);
    QCOMPARE(c.size(2), 3);
    QCOMPARE(c.size(3), 3);
    const int idx[3] = {1, 3, 5};
    for (int i = 0; i < 3; ++i)
    {
      for (int j = 0; j < 3; ++j)
      {
        QCOMPARE(c[0][0][i][j].item<float>(), float(7 * idx[i] + idx[j]));
      }
    }
  }

  void restrictionTwiceKeeps4iPlus3()
  {
    torch::Tensor x = torch::arange(15 * 15, torch::kFloat32).view({1, 1, 15, 15});
    torch::Tensor c = ops::restrict(x, 2);
    QCOMPARE(c.size(2), 3);
    const int idx[3] = {3, 7, 11};
    for (int i = 0; i < 3; ++i)
    {
      for (int j = 0; j < 3; ++j)
      {
        QCOMPARE(c[0][0][i][j].item<float>(), float(15 * idx[i] + idx[j]));
      }
    }
  }

  void prolongationOf2x2()
  {
    const float a = 1, b = 2, c = 3, d = 5;
    torch::Tensor u = torch::tensor({a, b, c, d}).view({1, 1, 2, 2});
    ops::Prolongation p(torch::kCPU);
    torch::Tensor f = p.apply(u, 1);
    QCOMPARE(f.size(2), 5);
    QCOMPARE(f.size(3), 5);
    // Coarse sample i sits on fine index 2i+1; edges are constant extrapolations (replicate pad).
    const float ab = (a + b) / 2, cd = (c + d) / 2, ac = (a + c) / 2, bd = (b + d) / 2, m = (a + b + c + d) / 4;
    const float expected[5][5] = {
        {a, a, ab, b, b}, {a, a, ab, b, b}, {ac, ac, m, bd, bd}, {c, c, cd, d, d}, {c, c, cd, d, d}};
    for (int i = 0; i < 5; ++i)
    {
      for (int j = 0; j < 5; ++j)
      {
        QVERIFY2(std::abs(f[0][0][i][j].item<float>() - expected[i][j]) < 1e-6,
                 qPrintable(QString("P(u)[%1,%2] = %3, expected %4")
                                .arg(i)
                                .arg(j)
                                .arg(f[0][0][i][j].item<float>())
                                .arg(expected[i][j])));
      }
    }
  }

  void prolongationIsExactOnLinearFields()
  {
    // Bilinear interpolation reproduces a linear field away from the border.
    torch::Tensor ii = torch::arange(7, torch::kFloat32).view({7, 1}).expand({7, 7});
    torch::Tensor jj = torch::arange(7, torch::kFloat32).view({1, 7}).expand({7, 7});
    torch::Tensor coarse = (2 * ii + 3 * jj).view({1, 1, 7, 7});
    ops::Prolongation p(torch::kCPU);
    torch::Tensor fine = p.apply(coarse, 1); // 15×15; fine index 2i+1 holds coarse i
    for (int fi = 1; fi <= 13; ++fi)
    {
      for (int fj = 1; fj <= 13; ++fj)
      {
        const float ci = (fi - 1) / 2.0f, cj = (fj - 1) / 2.0f;
        QVERIFY(std::abs(fine[0][0][fi][fj].item<float>() - (2 * ci + 3 * cj)) < 1e-5);
      }
    }
    QCOMPARE(p.apply(coarse, 2).size(2), 31);
  }

  void boxAverageOf5x5()
  {
    torch::Tensor x = torch::arange(25, torch::kFloat32).view({1, 1, 5, 5});
    torch::Tensor s = ops::boxAverage(x);
    QCOMPARE(s.size(2), 2);
    // Block (0..2, 0..2): mean of 0,1,2,5,6,7,10,11,12 = 6; shifting by 2 columns adds 2, by 2 rows adds 10.
    QCOMPARE(s[0][0][0][0].item<float>(), 6.0f);
    QCOMPARE(s[0][0][0][1].item<float>(), 8.0f);
    QCOMPARE(s[0][0][1][0].item<float>(), 16.0f);
    QCOMPARE(s[0][0][1][1].item<float>(), 18.0f);
  }

  void dilationOfOnePixel()
  {
    torch::Tensor u = torch::zeros({1, 1, 5, 6});
    u[0][0][2][3] = 1;
    torch::Tensor d = ops::dilate(u);
    QCOMPARE(d.sum().item<float>(), 9.0f);
    for (int i = 0; i < 5; ++i)
    {
      for (int j = 0; j < 6; ++j)
      {
        const bool inside = std::abs(i - 2) <= 1 && std::abs(j - 3) <= 1;
        QCOMPARE(d[0][0][i][j].item<float>(), inside ? 1.0f : 0.0f);
      }
    }
    // A corner pixel is clipped at the border: a 2×2 block.
    torch::Tensor corner = torch::zeros({1, 1, 4, 4});
    corner[0][0][0][0] = 1;
    QCOMPARE(ops::dilate(corner).sum().item<float>(), 4.0f);
  }

  void transposedConvMatchesLibTorch_data()
  {
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("cin");
    QTest::addColumn<int>("cout");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::newRow("1 channel") << 3 << 1 << 1 << 7 << 7;
    QTest::newRow("widened group") << 5 << 6 << 1 << 15 << 15;
    QTest::newRow("several outputs, rectangular") << 2 << 3 << 2 << 4 << 9;
    QTest::newRow("one pixel") << 1 << 2 << 1 << 1 << 1;
  }

  void transposedConvMatchesLibTorch()
  {
    // Our CPU kernel against LibTorch's conv_transpose2d: outputs and all three gradients.
    QFETCH(int, batch);
    QFETCH(int, cin);
    QFETCH(int, cout);
    QFETCH(int, rows);
    QFETCH(int, cols);
    torch::manual_seed(3);
    torch::Tensor x = torch::randn({batch, cin, rows, cols}, torch::requires_grad());
    torch::Tensor w = torch::randn({cin, cout, 3, 3}, torch::requires_grad());
    torch::Tensor b = torch::randn({cout}, torch::requires_grad());
    torch::Tensor g = torch::randn({batch, cout, 2 * rows + 1, 2 * cols + 1});
    torch::Tensor ours = ops::transposedConv3x3s2(x, w, b);
    auto gradsOurs = torch::autograd::grad({ours}, {x, w, b}, {g});
    torch::Tensor ref = torch::nn::functional::conv_transpose2d(
        x, w, torch::nn::functional::ConvTranspose2dFuncOptions().bias(b).stride(2));
    auto gradsRef = torch::autograd::grad({ref}, {x, w, b}, {g});
    QCOMPARE(ours.sizes().vec(), ref.sizes().vec());
    QVERIFY((ours - ref).abs().max().item<float>() < 1e-5);
    for (size_t i = 0; i < 3; ++i)
    {
      const float scale = 1.0f + gradsRef[i].abs().max().item<float>();
      QVERIFY2((gradsOurs[i] - gradsRef[i]).abs().max().item<float>() < 1e-5 * scale,
               qPrintable(QString("gradient %1 differs").arg(i)));
    }
    // Without a bias, and without gradients.
    torch::NoGradGuard ng;
    torch::Tensor noBias = ops::transposedConv3x3s2(x, w, torch::Tensor());
    QVERIFY((noBias + b.view({1, cout, 1, 1}) - ref).abs().max().item<float>() < 1e-5);
  }

  void convMatchesLibTorch_data() { transposedConvMatchesLibTorch_data(); }

  void convMatchesLibTorch()
  {
    // The stride-2 encoder convolution against LibTorch's conv2d (odd input sizes 2M+1).
    QFETCH(int, batch);
    QFETCH(int, cin);
    QFETCH(int, cout);
    QFETCH(int, rows);
    QFETCH(int, cols);
    torch::manual_seed(4);
    torch::Tensor x = torch::randn({batch, cin, 2 * rows + 1, 2 * cols + 1}, torch::requires_grad());
    torch::Tensor w = torch::randn({cout, cin, 3, 3}, torch::requires_grad());
    torch::Tensor b = torch::randn({cout}, torch::requires_grad());
    torch::Tensor g = torch::randn({batch, cout, rows, cols});
    torch::Tensor ours = ops::conv3x3s2(x, w, b);
    auto gradsOurs = torch::autograd::grad({ours}, {x, w, b}, {g});
    torch::Tensor ref =
        torch::nn::functional::conv2d(x, w, torch::nn::functional::Conv2dFuncOptions().bias(b).stride(2));
    auto gradsRef = torch::autograd::grad({ref}, {x, w, b}, {g});
    QCOMPARE(ours.sizes().vec(), ref.sizes().vec());
    QVERIFY((ours - ref).abs().max().item<float>() < 1e-5);
    for (size_t i = 0; i < 3; ++i)
    {
      const float scale = 1.0f + gradsRef[i].abs().max().item<float>();
      QVERIFY2((gradsOurs[i] - gradsRef[i]).abs().max().item<float>() < 1e-5 * scale,
               qPrintable(QString("gradient %1 differs").arg(i)));
    }
  }

  void levelSizes()
  {
    QCOMPARE(ops::levelSize(127, 3, 0), 31);
    QCOMPARE(ops::levelSize(127, 3, 1), 63);
    QCOMPARE(ops::levelSize(127, 3, 2), 127);
    QCOMPARE(ops::levelSize(511, 4, 0), 63);
  }
};

QTEST_GUILESS_MAIN(TestOperators)
#include "test_operators.moc"
