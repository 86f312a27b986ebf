# Writes OUTPUT: a C++ file holding every file of DIR matching PATTERNS (";"-separated globs) as
# bytes (hex, so no quoting can break), sorted by name, and FUNCTION() returning them as a span
# of tlsfault::EmbeddedFile{name, bytes} (common/embedded_file.hpp). Run at build time (cmake -P)
# by the targets that embed files: the scenario catalogue (scenarios/) and the trainer's board
# (proxy/api/board/).
# Parameters: OUTPUT DIR PATTERNS HEADER (declares FUNCTION) NAMESPACE FUNCTION SOURCE (for the note).
set(files "")
foreach(pattern IN LISTS PATTERNS)
  file(GLOB matched "${DIR}/${pattern}")
  list(APPEND files ${matched})
endforeach()
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
set(content "// Generated from ${SOURCE} by cmake/embed_files.cmake. Do not edit.
#include \"${HEADER}\"

namespace ${NAMESPACE} {
namespace {
${arrays}
const EmbeddedFile files[] = {
${table}};
}  // namespace

std::span<const EmbeddedFile> ${FUNCTION}() { return files; }

}  // namespace ${NAMESPACE}
")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
