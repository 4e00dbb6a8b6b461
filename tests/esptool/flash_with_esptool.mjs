// Writes one image into gagent-sim's flash through its ROM loader with esptool-js, the way Espressif's web
// flasher does: sync, detect the chip, read its MAC, upload the flasher stub, raise the baud rate, write the
// image compressed, verify its MD5, then run the new firmware.
//   node flash_with_esptool.mjs PTY IMAGE ADDRESS [BAUD]
// Prints "chip=<description> mac=<mac> md5=<hex>" on success (exit 0); an error on stderr, exit 1.
import crypto from "node:crypto";
import fs from "node:fs";
import { ESPLoader, Transport } from "esptool-js";
import { PtySerialPort } from "./pty_serial_port.mjs";

const [pty, imagePath, addressText, baudText] = process.argv.slice(2);
if (!pty || !imagePath || !addressText) {
  console.error("usage: node flash_with_esptool.mjs PTY IMAGE ADDRESS [BAUD]");
  process.exit(2);
}
const address = Number(addressText);
const baudrate = Number(baudText ?? 460800);
const image = new Uint8Array(fs.readFileSync(imagePath));
const log = [];
const terminal = {
  clean() {},
  writeLine(text) {
    log.push(text);
  },
  write(text) {
    log.push(text);
  },
};

const port = new PtySerialPort(pty);
const transport = new Transport(port, false);
const loader = new ESPLoader({ transport, baudrate, romBaudrate: 115200, terminal, debugLogging: false });
try {
  const chip = await loader.main("no_reset");
  const mac = await loader.chip.readMac(loader);
  await loader.writeFlash({
    fileArray: [{ data: image, address }],
    flashSize: "keep",
    flashMode: "keep",
    flashFreq: "keep",
    eraseAll: false,
    compress: true,
    calculateMD5Hash: (bytes) => crypto.createHash("md5").update(bytes).digest("hex"),
  });
  const md5 = await loader.flashMd5sum(address, image.length);
  await loader.after("soft_reset");
  console.log(`chip=${chip} mac=${mac} md5=${md5} stub=${loader.IS_STUB} baud=${port.baudRate}`);
  await transport.disconnect();
  process.exit(0);
} catch (error) {
  console.error(`esptool-js failed: ${error?.message ?? error}`);
  console.error(log.join("\n"));
  process.exit(1);
}
