/* libFuzzer target: any bytes given to the model loader must give a status,
 * never a crash, leak or undefined behaviour; a model that loads must also
 * survive a stream stepping a few frames. Built by `make native-fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "voxgate/voxgate.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  voxgate_model* model = NULL;
  if (voxgate_model_load_buffer(data, size, 1, &model) != VOXGATE_OK) return 0;
  voxgate_stream* stream = NULL;
  if (voxgate_stream_create(model, &stream) == VOXGATE_OK) {
    size_t frame_bytes = (size_t)voxgate_model_input_channels(model) *
                         (voxgate_model_input_dtype(model) == 2 ? 2 : 1);
    uint8_t* frame = calloc(frame_bytes, 1);
    for (int t = 0; t < 8 && frame != NULL; ++t) {
      for (size_t i = 0; i < frame_bytes; ++i)
        frame[i] = data[(i * 31 + (size_t)t * 7) % size];
      uint32_t updated = 0;
      voxgate_stream_accept_frame(stream, frame, &updated);
    }
    free(frame);
    voxgate_stream_destroy(stream);
  }
  voxgate_model_free(model);
  return 0;
}
