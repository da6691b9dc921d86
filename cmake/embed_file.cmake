# cmake -DINPUT=<file> -DOUTPUT=<file.c> -DNAME=<symbol> -P embed_file.cmake
# writes <file.c> defining `const unsigned char NAME[]` (the bytes of INPUT followed by a
# NUL, so that it can be read as a string) and `const size_t NAME_len` (without the NUL):
# data compiled into the binary, read from no file at run time.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" n_hex)
math(EXPR n_bytes "${n_hex} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n"
       bytes "${bytes}")
file(WRITE ${OUTPUT}
     "/* Generated from ${INPUT} by cmake/embed_file.cmake: do not edit. */\n"
     "#include <stddef.h>\n"
     "const unsigned char ${NAME}[] = {\n${bytes}0x00};\n"
     "const size_t ${NAME}_len = ${n_bytes};\n")
