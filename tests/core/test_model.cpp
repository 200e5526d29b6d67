// The growing model: names, parameter counts, initialisation (SPEC.md §2) and forward parity with the authors'
// code on their own weights and maps (tests/data/parity_mrcae_toy2.h5).
#include "MrcaeModel.h"
#ifdef MRCAE_WITH_HDF5
#include "Hdf5Util.h"
#endif
#include "TestHelpers.h"
#include "mrcae/model/ToyData.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>

#include <filesystem>

using namespace mrcae;

namespace
{

const std::string kParity = testing::fixturePath("parity_mrcae_toy2.h5");

#ifdef MRCAE_WITH_HDF5
torch::Tensor readTensor(H5::H5File& f, const std::string& name)
{
  H5::DataSet ds = f.openDataSet(name);
  std::vector<hsize_t> dims = h5::shapeOf(ds);
  std::vector<float> v = h5::readFloats(ds);
  std::vector<int64_t> sizes(dims.begin(), dims.end());
  return torch::from_blob(v.data(), sizes, torch::kFloat32).clone();
}
#endif

torch::Generator generator(uint64_t seed)
{
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

} // namespace

class TestModel : public QObject
{
  Q_OBJECT

private Q_SLOTS:
  void referenceNames()
  {
    QCOMPARE(QString::fromStdString(MrcaeModelImpl::encoderName(2, 3)), QString("L2_Conv_3"));
    QCOMPARE(QString::fromStdString(MrcaeModelImpl::decoderName(0, 0)), QString("L0_deConv_0"));
    MrcaeModel m(1, Activation::Identity, false);
    auto gen = generator(1);
    m->deepen(0, 0.01, true, gen);
    m->widen(0, 3, 0.01, gen);
    std::vector<std::string> names;
    for (const auto& p : m->named_parameters())
    {
      names.push_back(p.key());
    }
    QVERIFY(std::find(names.begin(), names.end(), "L0_Conv_1.weight") != names.end());
    QVERIFY(std::find(names.begin(), names.end(), "L0_deConv_1.bias") != names.end());
    QCOMPARE(m->encoder(0, 1)->weight.sizes().vec(), (std::vector<int64_t>{3, 1, 3, 3}));
    QCOMPARE(m->decoder(0, 1)->weight.sizes().vec(), (std::vector<int64_t>{3, 1, 3, 3}));
    QCOMPARE(m->decoder(0, 1)->bias.size(0), 1);
  }

  void parameterCountsOfTheToy1Notebook()
  {
    // Deepen adds 20, a widen by n adds 19n+1 (SPEC §2.1): the toy1 archs give these counts stage by stage.
    const std::vector<std::vector<int>> archs = {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 3, 5, 7}};
    const std::vector<long long> expected = {20, 40, 60, 80, 100, 120, 140, 160, 180, 219, 258, 297};
    MrcaeModel m(3, Activation::Identity, true);
    auto gen = generator(0);
    std::vector<long long> counts;
    for (int k = 0; k < 3; ++k)
    {
      m->deepen(k, 0.01, true, gen);
      m->setResolvedMap(k, 0, torch::zeros({15 << k, 15 << k}));
      counts.push_back(m->parameterCount());
      for (size_t j = 1; j < archs[k].size(); ++j)
      {
        m->widen(k, archs[k][j] - archs[k][j - 1], 0.01, gen);
        m->setResolvedMap(k, static_cast<int>(j), torch::zeros({15 << k, 15 << k}));
        counts.push_back(m->parameterCount());
      }
    }
    QCOMPARE(counts, expected);
  }

  void deepenInitialisation()
  {
    const double s = 0.01;
    MrcaeModel m(2, Activation::Identity, true);
    auto gen = generator(7);
    m->deepen(0, s, true, gen);
    torch::Tensor we = m->encoder(0, 0)->weight[0][0];
    // uniform_(std, std): every tap exactly std, +1 at the centre (tap sum 1.09).
    for (int i = 0; i < 3; ++i)
    {
      for (int j = 0; j < 3; ++j)
      {
        QCOMPARE(we[i][j].item<float>(), float(i == 1 && j == 1 ? 1.0 + s : s));
      }
    }
    QVERIFY(std::abs(we.sum().item<float>() - 1.09f) < 1e-6);
    QVERIFY(std::abs(m->encoder(0, 0)->bias.item<float>()) <= s);
    // Decoder: bilinear kernel plus U(−std, std).
    const float bilinear[3][3] = {{0.25f, 0.5f, 0.25f}, {0.5f, 1.0f, 0.5f}, {0.25f, 0.5f, 0.25f}};
    torch::Tensor wd = m->decoder(0, 0)->weight[0][0];
    float maxDev = 0;
    for (int i = 0; i < 3; ++i)
    {
      for (int j = 0; j < 3; ++j)
      {
        maxDev = std::max(maxDev, std::abs(wd[i][j].item<float>() - bilinear[i][j]));
      }
    }
    QVERIFY(maxDev <= s + 1e-7);
    QVERIFY(maxDev > 0); // the noise is there
    QVERIFY(std::abs(m->decoder(0, 0)->bias.item<float>()) <= s);

    // The documented fix draws the encoder taps from U(−std, std) instead.
    MrcaeModel r(1, Activation::Identity, true);
    r->deepen(0, s, false, gen);
    torch::Tensor wr = r->encoder(0, 0)->weight[0][0];
    QVERIFY(wr[0][0].item<float>() != wr[0][1].item<float>());
    QVERIFY(std::abs(wr[1][1].item<float>() - 1.0f) <= s + 1e-7);
    QVERIFY(std::abs(wr[0][2].item<float>()) <= s);
  }

  void widenInitialisation()
  {
    const double s = 0.01;
    MrcaeModel m(1, Activation::Identity, true);
    auto gen = generator(3);
    m->deepen(0, s, true, gen);
    m->setResolvedMap(0, 0, torch::ones({7, 7}));
    m->widen(0, 4, s, gen);
    for (const torch::Tensor& t :
         {m->encoder(0, 1)->weight, m->encoder(0, 1)->bias, m->decoder(0, 1)->weight, m->decoder(0, 1)->bias})
    {
      QVERIFY(t.abs().max().item<float>() <= s);
      QVERIFY(t.numel() == 1 || t.std().item<float>() > 0);
    }
  }

  void maskedGroupOnlyRefinesUnresolvedFootprint()
  {
    // With R = all resolved but one code pixel, group 1 changes the output only in the 3×3 dilation's footprint.
    MrcaeModel m(1, Activation::Identity, true);
    auto gen = generator(5);
    m->deepen(0, 0.01, true, gen);
    torch::Tensor resolved = torch::ones({7, 7});
    resolved[3][3] = 0;
    m->setResolvedMap(0, 0, resolved);
    torch::Tensor x = torch::rand({2, 1, 15, 15}, gen);
    torch::NoGradGuard ng;
    torch::Tensor before = m->forward(x, 0);
    m->widen(0, 2, 0.5, gen);
    QCOMPARE(m->groupMask(0, 1).sum().item<float>(), 9.0f);
    torch::Tensor diff = m->forward(x, 0) - before - m->decoder(0, 1)->bias; // the bias is unmasked (SPEC §2.2)
    // Code pixels 2..4 map to fine pixels 2·2+1−1 .. 2·4+1+1 = 4..10.
    torch::Tensor outside = diff.clone();
    outside.index_put_({torch::indexing::Slice(), torch::indexing::Slice(), torch::indexing::Slice(4, 11),
                        torch::indexing::Slice(4, 11)},
                       0);
    QVERIFY(outside.abs().max().item<float>() < 1e-6);
    QVERIFY(diff.abs().max().item<float>() > 1e-4);
  }

#ifdef MRCAE_WITH_HDF5
  // The fixtures are HDF5 files: these two need an HDF5 build.
  void forwardParityWithTheReference()
  {
    REQUIRE_FIXTURE(kParity);
    H5::H5File f(kParity, H5F_ACC_RDONLY);
    MrcaeModel m(3, Activation::Identity, true);
    torch::NoGradGuard ng;
    for (int k = 0; k < 3; ++k)
    {
      for (int g = 0;; ++g)
      {
        const std::string enc = "state/" + MrcaeModelImpl::encoderName(k, g) + ".B0.";
        const std::string dec = "state/" + MrcaeModelImpl::decoderName(k, g) + ".B0.";
        if (!f.nameExists(enc + "weight"))
        {
          break;
        }
        torch::Tensor w = readTensor(f, enc + "weight");
        m->addGroup(k, static_cast<int>(w.size(0)));
        m->encoder(k, g)->weight.copy_(w);
        m->encoder(k, g)->bias.copy_(readTensor(f, enc + "bias"));
        m->decoder(k, g)->weight.copy_(readTensor(f, dec + "weight"));
        m->decoder(k, g)->bias.copy_(readTensor(f, dec + "bias"));
      }
      for (int g = 0; g < m->groups(k); ++g)
      {
        m->setResolvedMap(k, g, readTensor(f, "maps/L" + std::to_string(k) + "_" + std::to_string(g)));
      }
      QVERIFY(m->groups(k) == 4);
    }
    QCOMPARE(m->parameterCount(), 297LL);
    for (int k = 0; k < 3; ++k)
    {
      // The masks are really partial: the dilation and masking are exercised.
      const float unresolved = m->groupMask(k, 1).sum().item<float>();
      QVERIFY(unresolved > 0 && unresolved < m->groupMask(k, 1).numel());
      torch::Tensor in = readTensor(f, "input/level" + std::to_string(k));
      torch::Tensor expected = readTensor(f, "output/level" + std::to_string(k));
      torch::Tensor out = m->forward(in, k);
      const double err = (out - expected).abs().max().item<double>();
      qInfo("level %d: max |ours - reference| = %.3g", k, err);
      QVERIFY2(err <= 1e-5, qPrintable(QString("level %1 differs by %2").arg(k).arg(err)));
    }
  }

  void toy2GeneratorMatchesTheReferenceInputs()
  {
    // The fixture's inputs are the reference's toy2 snapshots: our generator must give the same values.
    REQUIRE_FIXTURE(kParity);
    H5::H5File f(kParity, H5F_ACC_RDONLY);
    H5::DataSet idxSet = f.openDataSet("test_indices");
    std::vector<int> idx = h5::readInts(idxSet);
    torch::Tensor in = readTensor(f, "input/level2");
    Dataset toy2 = generateToy("toy2");
    double err = 0;
    for (size_t s = 0; s < idx.size(); ++s)
    {
      for (int i = 0; i < 127; ++i)
      {
        for (int j = 0; j < 127; ++j)
        {
          err = std::max(err, std::abs(double(toy2.field.at(idx[s], i, j)) - in[s][0][i][j].item<double>()));
        }
      }
    }
    qInfo("toy2 snapshots vs reference inputs: max diff %.3g", err);
    QVERIFY(err <= 1e-6);
  }
#endif
};

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
