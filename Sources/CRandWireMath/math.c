// CRandWireMath is its header: this file only gives the target a source, as SwiftPM requires.
#include "CRandWireMath.h"
