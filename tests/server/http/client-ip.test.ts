import { describe, expect, it } from "vitest";
import { clientIp } from "@/server/http/client-ip";

describe("clientIp", () => {
  it("ignores X-Forwarded-For from an untrusted peer (a spoofed header cannot change the key)", () => {
    expect(clientIp("203.0.113.5", "1.2.3.4", [])).toBe("203.0.113.5");
    expect(clientIp("203.0.113.5", "1.2.3.4", ["10.0.0.0/8"])).toBe("203.0.113.5");
  });
  it("takes the right-most untrusted hop behind trusted proxies", () => {
    expect(clientIp("10.0.0.2", "6.6.6.6, 198.51.100.20, 10.0.0.9", ["10.0.0.0/8"])).toBe("198.51.100.20");
  });
  it("normalizes IPv4-mapped IPv6 addresses", () => {
    expect(clientIp("::ffff:127.0.0.1", null, [])).toBe("127.0.0.1");
  });
  it("skips garbage in the header", () => {
    expect(clientIp("10.0.0.2", "not-an-ip, 198.51.100.20", ["10.0.0.2"])).toBe("198.51.100.20");
  });
});
