// Runs the fuzz entry point without libFuzzer (any compiler, under ctest): every file of the
// corpus directories given on the command line, plus deterministic mutations of each (every
// byte flipped, every truncation), so the parser's properties are checked on each build.
#include <dirent.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void run(const std::vector<uint8_t>& input, size_t& count) {
  LLVMFuzzerTestOneInput(input.data(), input.size());
  ++count;
}

void replay(const std::vector<uint8_t>& seed, size_t& count) {
  run(seed, count);
  for (size_t length = 0; length < seed.size(); ++length) {
    run(std::vector<uint8_t>(seed.begin(), seed.begin() + length), count);
  }
  for (size_t i = 0; i < seed.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::vector<uint8_t> mutated = seed;
      mutated[i] ^= mask;
      run(mutated, count);
    }
  }
  // The same datagram as seen from the other side and with descriptors attached.
  for (uint8_t selector = 0; selector < 8; ++selector) {
    if (seed.empty()) break;
    std::vector<uint8_t> variant = seed;
    variant[0] = selector;
    run(variant, count);
  }
}

}  // namespace

int main(int argc, char** argv) {
  size_t files = 0, count = 0;
  for (int i = 1; i < argc; ++i) {
    DIR* dir = ::opendir(argv[i]);
    if (dir == nullptr) {
      std::fprintf(stderr, "ipc_fuzz_replay: cannot open %s\n", argv[i]);
      return 2;
    }
    while (dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      std::ifstream file(std::string(argv[i]) + "/" + entry->d_name, std::ios::binary);
      std::vector<uint8_t> seed((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
      replay(seed, count);
      ++files;
    }
    ::closedir(dir);
  }
  if (files == 0) {
    std::fprintf(stderr, "ipc_fuzz_replay: no corpus files\n");
    return 2;
  }
  std::printf("ipc_fuzz_replay: %zu inputs from %zu corpus files, all properties held\n", count,
              files);
  return 0;
}
