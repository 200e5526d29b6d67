// RED-Net (SPEC.md §7.2): parameter counts by the formula and forward parity with the authors' code
// (tests/data/parity_rednet.h5, linear and ReLU).
#include "Hdf5Util.h"
#include "RedNet.h"
#include "TestHelpers.h"
#include "mrcae/engine/RedNetBaseline.h"
#include "mrcae/model/ToyData.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>

#include <filesystem>

using namespace mrcae;

namespace
{

torch::Tensor readTensor(H5::H5File& f, const std::string& name)
{
  H5::DataSet ds = f.openDataSet(name);
  std::vector<hsize_t> dims = h5::shapeOf(ds);
  std::vector<float> v = h5::readFloats(ds);
  return torch::from_blob(v.data(), std::vector<int64_t>(dims.begin(), dims.end()), torch::kFloat32).clone();
}

} // namespace

class TestRedNet : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void parameterCounts_data()
  {
    QTest::addColumn<std::vector<int>>("channels");
    QTest::addColumn<long long>("expected");
    // Σ_i (9 c_{i-1} c_i + c_i) + (9 c_i c_{i-1} + c_{i-1}), worked out by hand.
    QTest::newRow("[1,4,3,2] (fixture)") << std::vector<int>{1, 4, 3, 2} << 413LL; // 77 + 223 + 113
    QTest::newRow("[1,1]") << std::vector<int>{1, 1} << 20LL;                      // a deepen's worth
    QTest::newRow("[1,2]") << std::vector<int>{1, 2} << 39LL;                      // 18+2 + 18+1
    QTest::newRow("[1,7,4,4]") << std::vector<int>{1, 7, 4, 4} << 945LL;           // 134 + 515 + 296
  }

  void parameterCounts()
  {
    QFETCH(std::vector<int>, channels);
    QFETCH(long long, expected);
    QCOMPARE(RedNetImpl::parameterCount(channels), expected);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
    RedNet net(channels, Activation::Identity, 0.01, gen);
    QCOMPARE(net->parameterCount(), expected);
  }

  void baselineSchedule()
  {
    // The architecture MrCAE reached on toy1 in the notebook: [[1,2],[1,2,3],[1,3,5,7]] (SPEC §5).
    const std::vector<std::vector<int>> arch = {{1, 2}, {1, 2, 3}, {1, 3, 5, 7}};
    auto plan = RedNetBaseline::plan(arch, {200, 150, 60});
    QCOMPARE(plan.size(), size_t(9));
    QCOMPARE(plan[0].channels, (std::vector<int>{1, 1}));
    QCOMPARE(plan[1].channels, (std::vector<int>{1, 2}));
    QCOMPARE(plan[2].channels, (std::vector<int>{1, 1, 2})); // finest = current width, then level 0's final
    QCOMPARE(plan[4].channels, (std::vector<int>{1, 3, 2}));
    QCOMPARE(plan[8].channels, (std::vector<int>{1, 7, 3, 2})); // level 2: then levels 1 and 0
    // Stage s (1-based) gets s times its level's base budget.
    QCOMPARE(plan[0].steps, 200);
    QCOMPARE(plan[1].steps, 400);
    QCOMPARE(plan[2].steps, 3 * 150);
    QCOMPARE(plan[8].steps, 9 * 60);
  }

  void baselineTrainsFreshNetworks()
  {
    TrainingConfig c = TrainingConfig::preset("toy1");
    c.steps = {1, 1, 1};
    c.threads = 1;
    RedNetBaseline baseline(generateToy("toy1", 20, 127), c, {{1, 2}, {1, 2}, {1, 3}});
    baseline.run();
    const auto& st = baseline.stages();
    QCOMPARE(st.size(), size_t(6));
    std::vector<long long> params;
    for (const auto& s : st)
    {
      params.push_back(s.params);
      QVERIFY(std::isfinite(s.bestGlobalVal));
      QCOMPARE(s.steps, (s.stage + 1) * 1); // budgets s × 1
    }
    // [1,1] [1,2] [1,1,2] [1,2,2] [1,1,2,2] [1,3,2,2]: e.g. [1,2,2] = (18+2 + 18+1) + (36+2 + 36+2) = 115.
    QCOMPARE(params, (std::vector<long long>{20, 39, 59, 115, 135, 247}));
    QCOMPARE(st[0].encodingSize, 225LL);           // 15² code pixels × 1
    QCOMPARE(st[2].encodingSize, 225LL * 2 + 961); // level 0 final (2 channels) + 31² × 1
  }

  void forwardParityWithTheReference_data()
  {
    QTest::addColumn<QString>("variant");
    QTest::newRow("linear") << "linear";
    QTest::newRow("relu") << "relu";
  }

  void forwardParityWithTheReference()
  {
    QFETCH(QString, variant);
    const std::string path = testing::fixturePath("parity_rednet.h5");
    REQUIRE_FIXTURE(path);
    H5::H5File f(path, H5F_ACC_RDONLY);
    const std::string v = variant.toStdString();
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
    RedNet net(std::vector<int>{1, 4, 3, 2}, v == "relu" ? Activation::ReLU : Activation::Identity, 0.01, gen);
    QCOMPARE(net->parameterCount(), h5::readInt(f.openGroup(v), "n_params", 0));
    torch::NoGradGuard ng;
    for (int i = 1; i <= 3; ++i)
    {
      const std::string s = v + "/state/";
      net->encoder(i)->weight.copy_(readTensor(f, s + "E" + std::to_string(i) + ".weight"));
      net->encoder(i)->bias.copy_(readTensor(f, s + "E" + std::to_string(i) + ".bias"));
      net->decoder(i)->weight.copy_(readTensor(f, s + "D" + std::to_string(i) + ".weight"));
      net->decoder(i)->bias.copy_(readTensor(f, s + "D" + std::to_string(i) + ".bias"));
    }
    torch::Tensor out = net->forward(readTensor(f, "input"));
    torch::Tensor expected = readTensor(f, v + "/output");
    QCOMPARE(out.sizes().vec(), expected.sizes().vec());
    const double err = (out - expected).abs().max().item<double>();
    qInfo("%s: max |ours - reference| = %.3g (outputs up to %.3g)", v.c_str(), err,
          expected.abs().max().item<double>());
    QVERIFY(err <= 1e-5);
  }
};

QTEST_GUILESS_MAIN(TestRedNet)
#include "test_rednet.moc"
