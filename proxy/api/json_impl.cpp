// Boost.JSON compiled once, here (Debian's libboost1.81-dev ships no libboost_json): every
// other file includes the ordinary headers.
#include <boost/json/src.hpp>
