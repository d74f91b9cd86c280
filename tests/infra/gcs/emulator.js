// Starts firebase-tools' Cloud Storage emulator (its GCS JSON API) on 127.0.0.1 without the firebase
// CLI: the CLI refuses Java before 21 and fetches its rules runtime from the internet; the emulator
// itself needs neither for the GCS API (which never consults rules), so gcs-emulator.sh hands it a
// stub rules runtime through FIREBASE_EMULATORS_PATH.
//   node emulator.js PORT RULES_FILE
const fs = require("fs");
const path = require("path");
const { StorageEmulator } = require("firebase-tools/lib/emulator/storage");
const { EmulatorRegistry } = require("firebase-tools/lib/emulator/registry");

const [port, rules] = process.argv.slice(2);
(async () => {
  const emulator = new StorageEmulator({
    projectId: "demo-weir",
    host: "127.0.0.1",
    port: Number(port),
    rules: { name: path.resolve(rules), content: fs.readFileSync(rules, "utf8") },
    auto_download: false,
  });
  // Through the registry, so that resumable-upload URLs name this host and port.
  await EmulatorRegistry.start(emulator);
  console.log(`GCS emulator listening on http://127.0.0.1:${port}`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
