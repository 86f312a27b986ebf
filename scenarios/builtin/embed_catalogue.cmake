# Writes OUTPUT: a C++ file holding every DIR/*.yaml as bytes (hex, so no quoting can break),
# sorted by name. Run at build time by scenarios/CMakeLists.txt.
file(GLOB files "${DIR}/*.yaml")
list(SORT files)
set(arrays "")
set(table "")
set(index 0)
foreach(file IN LISTS files)
  get_filename_component(name "${file}" NAME)
  file(READ "${file}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND arrays "static const unsigned char file_${index}[] = {${bytes}0x00};\n")
  string(APPEND table "    {\"${name}\", {reinterpret_cast<const char*>(file_${index}), sizeof(file_${index}) - 1}},\n")
  math(EXPR index "${index} + 1")
endforeach()
set(content "// Generated from scenarios/catalogue/*.yaml by embed_catalogue.cmake. Do not edit.
#include \"scenarios/builtin/builtin_catalogue.hpp\"

namespace tlsfault::scenarios {
namespace {
${arrays}
const BuiltinScenarioFile files[] = {
${table}};
}  // namespace

std::span<const BuiltinScenarioFile> builtin_scenario_files() { return files; }

}  // namespace tlsfault::scenarios
")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
