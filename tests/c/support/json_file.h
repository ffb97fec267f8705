/* A JSON file read and parsed with cJSON: the conformance runner's vectors, the demo's scenarios. */
#ifndef LIVENESS_TEST_JSON_FILE_H
#define LIVENESS_TEST_JSON_FILE_H

#include <cjson/cJSON.h>

/* The parsed document, to cJSON_Delete(); NULL if the file cannot be read or is not JSON. */
cJSON *read_json_file(const char *path);

#endif
