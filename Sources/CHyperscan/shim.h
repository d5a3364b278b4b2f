// Vectorscan (the maintained, portable fork of Hyperscan) installs its headers
// under hs/; pkg-config adds that folder to the include path.
#include <hs.h>
