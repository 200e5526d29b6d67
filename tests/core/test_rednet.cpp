// RED-Net (SPEC.md §7.2): parameter counts by the formula and forward parity with the authors' code
// (shared/reference/parity_rednet.h5, linear and ReLU).
#include "engine/RedNet.h"
#include "io/Hdf5Util.h"

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
    QTest::newRow("[1,4,3,2] (fixture)") << std::vector<int>{1, 4, 3, 2} << 413LL;   // 77 + 223 + 113
    QTest::newRow("[1,1]") << std::vector<int>{1, 1} << 20LL;                       // a deepen's worth
    QTest::newRow("[1,2]") << std::vector<int>{1, 2} << 39LL;                       // 18+2 + 18+1
    QTest::newRow("[1,7,4,4]") << std::vector<int>{1, 7, 4, 4} << 945LL;            // 134 + 515 + 296
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

  void forwardParityWithTheReference_data()
  {
    QTest::addColumn<QString>("variant");
    QTest::newRow("linear") << "linear";
    QTest::newRow("relu") << "relu";
  }

  void forwardParityWithTheReference()
  {
    QFETCH(QString, variant);
    const std::string path = std::string(REFERENCE_DIR) + "/parity_rednet.h5";
    QVERIFY2(std::filesystem::exists(path), ("missing fixture " + path).c_str());
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
    qInfo("%s: max |ours - reference| = %.3g (outputs up to %.3g)", v.c_str(), err, expected.abs().max().item<double>());
    QVERIFY(err <= 1e-5);
  }
};

QTEST_GUILESS_MAIN(TestRedNet)
#include "test_rednet.moc"
