// Must compile: the model's headers are what widgets may use.
#include "mrcae/model/TrainingTypes.h"

int main()
{
  return mrcae::toString(mrcae::StopReason::MaxSteps).empty() ? 1 : 0;
}
