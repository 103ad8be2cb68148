// Reads WARC files with warcio and prints, as JSON, how many records they
// hold and the type and target URI of each: Plein's archive tests compare
// this with what plein archive export --warc wrote.
import { createReadStream } from "node:fs";
import { WARCParser } from "warcio";

const records = [];
for (const file of process.argv.slice(2)) {
  const parser = new WARCParser(createReadStream(file));
  for await (const record of parser) {
    await record.readFully();
    records.push({
      type: record.warcType,
      uri: record.warcTargetURI || "",
      status: record.warcType === "response" && record.httpHeaders ? Number(record.httpHeaders.statusCode) : 0,
      length: Number(record.warcContentLength),
    });
  }
}
process.stdout.write(JSON.stringify({ count: records.length, records }) + "\n");
