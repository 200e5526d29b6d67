// Must not compile (test_layers_widgets_cannot_include_engine): widgets link mrcae_model only.
#include "mrcae/engine/Trainer.h"

int main()
{
  return 0;
}
