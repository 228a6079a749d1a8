import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { clientAddress } from "./clientAddress";

const from = (ip: string) => ({ ip, socket: {} }) as unknown as Request;

describe("clientAddress", () => {
  it("keeps an IPv4 address as it is, also when written as IPv6", () => {
    expect(clientAddress(from("203.0.113.9"))).toBe("203.0.113.9");
    expect(clientAddress(from("::ffff:203.0.113.9"))).toBe("203.0.113.9");
  });

  it("counts an IPv6 address as its /64, however it is written", () => {
    expect(clientAddress(from("2001:db8:7:8::1"))).toBe("2001:db8:7:8::/64");
    expect(clientAddress(from("2001:0db8:0007:0008:ffff:1:2:3"))).toBe("2001:db8:7:8::/64");
    expect(clientAddress(from("2001:db8::1"))).toBe("2001:db8:0:0::/64");
    expect(clientAddress(from("fe80::1%eth0"))).toBe("fe80:0:0:0::/64");
    expect(clientAddress(from("::1"))).toBe("0:0:0:0::/64");
    expect(clientAddress(from("64:ff9b::203.0.113.9"))).toBe("64:ff9b:0:0::/64");
  });

  it("falls back to the socket's address", () => {
    expect(clientAddress({ socket: { remoteAddress: "203.0.113.9" } } as unknown as Request)).toBe(
      "203.0.113.9",
    );
  });
});
