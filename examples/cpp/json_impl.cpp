// Boost.JSON compiled once for the example (Debian's Boost ships no libboost_json).
#include <boost/json/src.hpp>
