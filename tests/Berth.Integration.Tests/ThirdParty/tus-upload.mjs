// Uploads one file with tus-js-client, as a third-party tus 1.0 client would, and prints the result as JSON.
//   node tus-upload.mjs ENDPOINT TOKEN FILE CHUNK_BYTES
// ENDPOINT is the tus creation URL (the ticket's url resolved against the server); TOKEN goes in
// Authorization: Bearer. Broken connections are retried by tus-js-client itself: it asks HEAD for the
// offset and continues from there, and finishes at once when the offset already equals the length.
import { readFileSync } from 'node:fs';
import { Upload } from 'tus-js-client';

const [endpoint, token, file, chunk] = process.argv.slice(2);
const data = readFileSync(file);
const errors = [];
const upload = new Upload(data, {
  endpoint,
  headers: { Authorization: `Bearer ${token}` },
  chunkSize: Number(chunk),
  retryDelays: [0, 250, 500, 1000, 2000],
  storeFingerprintForResuming: false,
  onShouldRetry(err, attempt, options) {
    errors.push(String(err.message ?? err).split('\n')[0]);
    const status = err.originalResponse ? err.originalResponse.getStatus() : 0;
    // tus-js-client's own rule: retry unless a 4xx other than 409 and 423.
    return !(status >= 400 && status < 500 && status !== 409 && status !== 423);
  },
  onError(err) {
    console.error(`tus upload failed: ${err}`);
    process.exit(1);
  },
  onSuccess() {
    console.log(JSON.stringify({ url: upload.url, retries: errors.length, errors }));
  },
});
upload.start();
