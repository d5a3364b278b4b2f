// PCRE2 needs the code unit width chosen before its header is read; Outguard
// matches UTF-8 text only, so the 8-bit library is the one we link.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
