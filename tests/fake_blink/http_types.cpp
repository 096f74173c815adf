#include "http_types.hpp"

namespace fake_blink {

Response status_response(int status, const std::string& message) {
  Response response;
  response.status = status;
  response.body = {{"status", {{"message", message}, {"status_code", status}}}};
  return response;
}

Response data_response(const std::string& message, nlohmann::json data) {
  Response response = status_response(200, message);
  response.body["data"] = std::move(data);
  return response;
}

}  // namespace fake_blink
