// A Web Serial SerialPort (what esptool-js's Transport drives) over a pty path, for gagent-sim's UART.
// Reads come through a tty.ReadStream on one descriptor; writes go through a second, blocking descriptor,
// so a 16 KiB block is written whole. A pty has no modem lines: setSignals only records DTR/RTS (the
// module under test is already in its loader: esptool-js runs with "no_reset"), and the baud rate is the
// simulator's business (it paces at the rate the loader negotiated), so setBaudRate changes nothing here.
import fs from "node:fs";
import tty from "node:tty";

export class PtySerialPort {
  constructor(path) {
    this.path = path;
    this.readable = null;
    this.writable = null;
    this.signals = [];
    this.baudRate = 0;
  }

  getInfo() {
    return {};
  }

  async open({ baudRate }) {
    this.baudRate = baudRate;
    this.readFd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    this.writeFd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    this.input = new tty.ReadStream(this.readFd);
    this.input.setRawMode(true);
    const input = this.input;
    this.readable = new ReadableStream({
      start(controller) {
        input.on("data", (chunk) => controller.enqueue(new Uint8Array(chunk)));
        input.on("end", () => controller.close());
        input.on("error", (error) => controller.error(error));
      },
      cancel() {
        input.pause();
      },
    });
    const writeFd = this.writeFd;
    this.writable = new WritableStream({
      write(chunk) {
        return new Promise((resolve, reject) => {
          fs.write(writeFd, chunk, (error) => (error ? reject(error) : resolve()));
        });
      },
    });
  }

  async setSignals(signals) {
    this.signals.push(signals);
  }

  async setBaudRate(baud) {
    this.baudRate = baud;
  }

  async close() {
    this.input?.destroy();
    if (this.writeFd !== undefined) fs.closeSync(this.writeFd);
    this.readable = null;
    this.writable = null;
  }
}
