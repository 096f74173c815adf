// Transport-free request and response types, so that everything above the
// socket can be built and tested without Beast.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace fake_blink {

struct Request {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // origin form: path and query
  std::string authorization;  // the Authorization header, empty when absent
  std::string body;
};

struct Response {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  // Time to wait before sending, set by a "delay" fault rule.
  std::chrono::milliseconds delay{0};
  // Close the connection without sending anything, set by a "drop" fault rule.
  bool drop_connection = false;
};

// An expected failure of an API call, turned into a response with the
// document's status envelope. Thrown by validation and lookups.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}

  int status() const { return status_; }

 private:
  int status_;
};

// 406 is the document's status code for "Data Validation Error".
inline ApiError validation_error(const std::string& message) { return {406, message}; }

inline ApiError not_found_error() { return {404, "No Data Found"}; }

// Builds {"status":{"message":...,"status_code":...}} with the HTTP status.
Response status_response(int status, const std::string& message);

// Builds a 200 response with the status envelope and `data`.
Response data_response(const std::string& message, nlohmann::json data);

}  // namespace fake_blink
