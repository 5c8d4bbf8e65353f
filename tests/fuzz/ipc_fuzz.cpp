// libFuzzer entry point for the broker's IPC parser: the bytes a hostile worker could send.
// The first input byte picks the sender and the number of attached descriptors; the rest is
// the datagram. Whatever decodes must be canonical: it re-encodes to the very same bytes.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "sandbox/ipc.h"

using notion_mcp::sandbox::ipc::decode;
using notion_mcp::sandbox::ipc::descriptors_for;
using notion_mcp::sandbox::ipc::encode_into;
using notion_mcp::sandbox::ipc::Encoded;
using notion_mcp::sandbox::ipc::Sender;
using notion_mcp::sandbox::ipc::sender_of;
using notion_mcp::sandbox::ipc::type_of;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  Sender sender = (data[0] & 1) != 0 ? Sender::broker : Sender::worker;
  size_t descriptors = (data[0] >> 1) & 3;
  std::span<const uint8_t> datagram(data + 1, size - 1);
  auto decoded = decode(datagram, sender, descriptors);
  if (!decoded.ok()) return 0;
  auto type = type_of(decoded->body);
  if (sender_of(type) != sender || descriptors_for(type) != descriptors) std::abort();
  Encoded encoded;
  if (!encode_into(*decoded, encoded).ok()) std::abort();
  auto bytes = encoded.bytes();
  if (bytes.size() != datagram.size() ||
      std::memcmp(bytes.data(), datagram.data(), bytes.size()) != 0) {
    std::abort();
  }
  return 0;
}
