# fuzz.mk: the libFuzzer targets (GNU make; run by make fuzz, which
# passes the compiler, the source lists and the libraries' flags).
# The library and the service are compiled again here with the fuzzer's
# instrumentation (-fsanitize=fuzzer-no-link) and the sanitizers, into
# tests/fuzz/build/obj; each target links its fuzz-NAME.c with them.

FUZZ_BUILD = tests/fuzz/build
OBJ = $(FUZZ_BUILD)/obj
SANITIZE = address,undefined
FUZZ_CFLAGS = -std=c11 -g -O1 -fno-omit-frame-pointer -pthread \
	-fsanitize=fuzzer-no-link,$(SANITIZE) -fno-sanitize-recover=all \
	$(DEFS) -I$(srcdir)/src/lib -I$(srcdir)/src/serve \
	-DHW_FUZZ_SRCDIR='"$(abs_srcdir)"' \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $(DEPS_CFLAGS)
# The warnings of the project's own build (configure.ac), as errors.
FUZZ_WARN = -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wvla -Werror
FUZZ_LDFLAGS = -fsanitize=fuzzer,$(SANITIZE) -pthread

LIB_OBJS = $(patsubst %.c,$(OBJ)/%.o,$(filter %.c,$(LIB_SOURCES)))
# serve.c is included by fuzz-http.c (its request callbacks are static).
SERVE_OBJS = $(patsubst %.c,$(OBJ)/%.o,$(filter-out %/serve.c,\
	$(filter %.c,$(SERVE_SOURCES))))

TARGETS = $(addprefix $(FUZZ_BUILD)/fuzz-,$(FUZZ_TARGETS))

all: $(TARGETS)

# The targets' own files, warnings as errors.
$(OBJ)/tests/fuzz/%.o: $(srcdir)/tests/fuzz/%.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC   tests/fuzz/$*.o"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_WARN) -MMD -MP -c $< -o $@

$(OBJ)/%.o: $(srcdir)/%.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC   $*.o"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz-http: $(OBJ)/tests/fuzz/fuzz-http.o $(SERVE_OBJS) $(LIB_OBJS)
	@echo "  FUZZLD   $@"
	@$(FUZZ_CC) $(FUZZ_LDFLAGS) $^ $(MHD_LIBS) $(DEPS_LIBS) -o $@

$(FUZZ_BUILD)/fuzz-%: $(OBJ)/tests/fuzz/fuzz-%.o $(LIB_OBJS)
	@echo "  FUZZLD   $@"
	@$(FUZZ_CC) $(FUZZ_LDFLAGS) $^ $(DEPS_LIBS) -o $@

.PHONY: all
.SECONDARY:

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
