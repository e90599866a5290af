//! The PROXY protocol (v1 text, v2 binary) from the balancers named by
//! `--trusted-proxy`: which peers are trusted, and reading the one header
//! such a peer sends first.
//!
//! The header is read exactly: 15 bytes (the shortest header of either
//! version), then what the version says is left (a v2 header's stated
//! length, a v1 line up to its newline, one byte at a time) and never a
//! byte more, so the SSH stream after it is untouched. Both versions are
//! bounded ([`V1_MAX`], [`V2_MAX`]) before anything past the bound is read,
//! and the caller puts a deadline on the whole. The parsing itself is the
//! `ppp` crate's.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use tokio::net::TcpStream;

/// The longest v1 header (the protocol's own bound, CRLF included).
pub(crate) const V1_MAX: usize = 107;
/// The longest v2 header read: the 16-byte fixed part and 216 bytes of
/// addresses and TLVs (the size of the largest address block, two UNIX
/// paths; an IPv6 header with the TLVs balancers add fits easily).
pub(crate) const V2_MAX: usize = 16 + 216;
/// Every header is at least this long (`PROXY UNKNOWN\r\n`; v2 takes 16).
const SHORTEST: usize = 15;
/// The v2 signature.
const V2_SIGNATURE: &[u8; 12] = b"\r\n\r\n\0\r\nQUIT\n";

/// An IPv4 or IPv6 network (`--trusted-proxy`): `10.0.0.0/8`, `2001:db8::/32`,
/// or a bare address for just that one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` is in this network (an IPv4-mapped IPv6 address counts
    /// as the IPv4 address it maps, as a dual-stack listener reports it).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                mask(u128::from(u32::from(ip)), self.prefix, 32) == u128::from(u32::from(net))
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                mask(u128::from(ip), self.prefix, 128) == u128::from(net)
            }
            _ => false,
        }
    }
}

/// `bits` (an address of `width` bits) with all but its first `prefix` bits cleared.
fn mask(bits: u128, prefix: u8, width: u8) -> u128 {
    let host = u32::from(width - prefix);
    if host >= 128 {
        0
    } else {
        (bits >> host) << host
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Cidr, String> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let bad = || {
            format!(
                "expected an IPv4 or IPv6 network such as 10.0.0.0/8, 2001:db8::/32 or 192.0.2.7, not {text:?}"
            )
        };
        let network: IpAddr = address.parse().map_err(|_| bad())?;
        let width: u8 = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                match p.parse::<u8>() {
                    Ok(n) if n <= width => n,
                    _ => {
                        return Err(format!(
                            "the prefix length of {text:?} must be 0 to {width}"
                        ));
                    }
                }
            }
            Some(_) => return Err(bad()),
        };
        let bits = match network {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6),
        };
        let masked = mask(bits, prefix, width);
        if masked != bits {
            let base = match network {
                IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from(masked as u32)),
                IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(masked)),
            };
            return Err(format!(
                "{text:?} has bits set past its /{prefix}: did you mean {base}/{prefix}?"
            ));
        }
        Ok(Cidr { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// What a trusted peer's header said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carried {
    /// A client's connection relayed by the balancer: the client's address.
    Client(SocketAddr),
    /// A connection of the balancer's own, with no client behind it (v2
    /// `LOCAL`, v1 `UNKNOWN`, or a v2 `PROXY` without an IP address): its
    /// health checks.
    Local,
}

/// Why a trusted peer's header was refused.
#[derive(Debug)]
pub(crate) enum HeaderError {
    /// The connection closed or failed before the header was whole.
    Io(io::Error),
    /// Not a PROXY header, too long, or one the parser refused.
    Malformed(String),
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                f.write_str("closed in the middle of the PROXY header")
            }
            HeaderError::Io(e) => write!(f, "{e}"),
            HeaderError::Malformed(why) => f.write_str(why),
        }
    }
}

impl From<io::Error> for HeaderError {
    fn from(e: io::Error) -> Self {
        HeaderError::Io(e)
    }
}

/// Reads the PROXY header at the start of `socket`, and nothing after it.
pub(crate) async fn read_header(socket: &TcpStream) -> Result<Carried, HeaderError> {
    let mut buf = [0u8; V2_MAX];
    read_exact(socket, &mut buf[..SHORTEST]).await?;
    if buf.starts_with(&V2_SIGNATURE[..]) {
        read_exact(socket, &mut buf[SHORTEST..16]).await?;
        let total = 16 + usize::from(u16::from_be_bytes([buf[14], buf[15]]));
        if total > V2_MAX {
            return Err(HeaderError::Malformed(format!(
                "PROXY v2 header of {total} bytes (at most {V2_MAX} are read)"
            )));
        }
        read_exact(socket, &mut buf[16..total]).await?;
        return parse_v2(&buf[..total]);
    }
    if !buf.starts_with(b"PROXY ") {
        return Err(HeaderError::Malformed("no PROXY header".into()));
    }
    let mut len = SHORTEST;
    while buf[len - 1] != b'\n' {
        if len == V1_MAX {
            return Err(HeaderError::Malformed(format!(
                "PROXY v1 header longer than {V1_MAX} bytes"
            )));
        }
        read_exact(socket, &mut buf[len..=len]).await?;
        len += 1;
    }
    parse_v1(&buf[..len])
}

/// A whole v2 header (its stated length read).
fn parse_v2(bytes: &[u8]) -> Result<Carried, HeaderError> {
    use ppp::v2::{Addresses, Command, Header};
    let header = Header::try_from(bytes)
        .map_err(|e| HeaderError::Malformed(format!("PROXY v2 header: {e}")))?;
    if header.len() != bytes.len() {
        return Err(HeaderError::Malformed(
            "PROXY v2 header: wrong length".into(),
        ));
    }
    Ok(match (header.command, header.addresses) {
        (Command::Local, _) => Carried::Local,
        (Command::Proxy, Addresses::IPv4(a)) => {
            Carried::Client(SocketAddr::new(a.source_address.into(), a.source_port))
        }
        (Command::Proxy, Addresses::IPv6(a)) => {
            Carried::Client(SocketAddr::new(a.source_address.into(), a.source_port))
        }
        (Command::Proxy, Addresses::Unspecified | Addresses::Unix(_)) => Carried::Local,
    })
}

/// A v1 line, up to and with its `\n`.
fn parse_v1(bytes: &[u8]) -> Result<Carried, HeaderError> {
    use ppp::v1::{Addresses, Header};
    let header = Header::try_from(bytes)
        .map_err(|e| HeaderError::Malformed(format!("PROXY v1 header: {e}")))?;
    if header.header.len() != bytes.len() {
        return Err(HeaderError::Malformed(
            "PROXY v1 header: a line break inside".into(),
        ));
    }
    Ok(match header.addresses {
        Addresses::Unknown => Carried::Local,
        Addresses::Tcp4(a) => {
            Carried::Client(SocketAddr::new(a.source_address.into(), a.source_port))
        }
        Addresses::Tcp6(a) => {
            Carried::Client(SocketAddr::new(a.source_address.into(), a.source_port))
        }
    })
}

/// Fills `buf` from `socket`, reading no more than `buf.len()` bytes.
async fn read_exact(socket: &TcpStream, buf: &mut [u8]) -> io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        socket.readable().await?;
        match socket.try_read(&mut buf[filled..]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn cidr(text: &str) -> Cidr {
        text.parse().unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_parse_and_contain() {
        assert!(cidr("10.0.0.0/8").contains(ip("10.200.3.4")));
        assert!(!cidr("10.0.0.0/8").contains(ip("11.0.0.1")));
        assert!(cidr("192.0.2.7").contains(ip("192.0.2.7")));
        assert!(!cidr("192.0.2.7").contains(ip("192.0.2.8")));
        assert!(cidr("0.0.0.0/0").contains(ip("203.0.113.1")));
        assert!(!cidr("0.0.0.0/0").contains(ip("2001:db8::1")));
        assert!(cidr("2001:db8::/32").contains(ip("2001:db8:ffff::1")));
        assert!(!cidr("2001:db8::/32").contains(ip("2001:db9::1")));
        assert!(cidr("::/0").contains(ip("::1")));
        assert!(cidr("::1").contains(ip("::1")));
        // A dual-stack listener reports IPv4 peers as IPv4-mapped.
        assert!(cidr("127.0.0.1").contains(ip("::ffff:127.0.0.1")));
        assert_eq!(cidr("2001:db8::/32").to_string(), "2001:db8::/32");
        assert_eq!(cidr("192.0.2.7").to_string(), "192.0.2.7/32");
    }

    #[test]
    fn bad_networks_are_refused_clearly() {
        for bad in [
            "",
            "10.0.0",
            "10.0.0.0/",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/+8",
            "x/8",
            "10.0.0.0/8/8",
        ] {
            let err = bad.parse::<Cidr>().unwrap_err();
            assert!(err.contains(&format!("{bad:?}")), "{bad}: {err}");
        }
        let err = "10.1.2.3/8".parse::<Cidr>().unwrap_err();
        assert!(err.contains("did you mean 10.0.0.0/8?"), "{err}");
        let err = "2001:db8::1/32".parse::<Cidr>().unwrap_err();
        assert!(err.contains("did you mean 2001:db8::/32?"), "{err}");
    }

    /// Sends `bytes` to a fresh connection and reads its header; also what
    /// is left on the socket after it.
    fn read(bytes: &[u8]) -> (Result<Carried, String>, Vec<u8>) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let bytes = bytes.to_vec();
            let writer = std::thread::spawn(move || {
                let mut s = std::net::TcpStream::connect(addr).unwrap();
                let _ = s.write_all(&bytes);
                // The end of what is sent, so a header cut short ends too.
                let _ = s.shutdown(std::net::Shutdown::Write);
                s
            });
            let (socket, _) = listener.accept().await.unwrap();
            let client = writer.join().unwrap();
            let result = read_header(&socket).await.map_err(|e| e.to_string());
            drop(client);
            let mut rest = vec![0u8; 64 * 1024];
            let mut n = 0;
            loop {
                socket.readable().await.unwrap();
                match socket.try_read(&mut rest[n..]) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(_) => break,
                }
            }
            rest.truncate(n);
            (result, rest)
        })
    }

    fn v2(command: u8, family: u8, body: &[u8]) -> Vec<u8> {
        let mut h = V2_SIGNATURE.to_vec();
        h.push(0x20 | command);
        h.push(family);
        h.extend_from_slice(&u16::try_from(body.len()).unwrap().to_be_bytes());
        h.extend_from_slice(body);
        h
    }

    #[test]
    fn headers_are_read_exactly_and_ssh_follows_untouched() {
        let ssh = b"SSH-2.0-OpenSSH_9.2\r\n";
        let mut v1 = b"PROXY TCP4 203.0.113.7 192.0.2.1 40000 2222\r\n".to_vec();
        v1.extend_from_slice(ssh);
        let (carried, rest) = read(&v1);
        assert_eq!(
            carried,
            Ok(Carried::Client("203.0.113.7:40000".parse().unwrap()))
        );
        assert_eq!(rest, ssh);

        let mut v1 = b"PROXY TCP6 2001:db8::7 2001:db8::1 40000 2222\r\n".to_vec();
        v1.extend_from_slice(ssh);
        let (carried, rest) = read(&v1);
        assert_eq!(
            carried,
            Ok(Carried::Client("[2001:db8::7]:40000".parse().unwrap()))
        );
        assert_eq!(rest, ssh);

        let mut unknown = b"PROXY UNKNOWN\r\n".to_vec();
        unknown.extend_from_slice(ssh);
        let (carried, rest) = read(&unknown);
        assert_eq!(carried, Ok(Carried::Local));
        assert_eq!(rest, ssh);

        let body = [203, 0, 113, 9, 192, 0, 2, 1, 0x9c, 0x40, 0x08, 0xae];
        let mut proxied = v2(1, 0x11, &body);
        proxied.extend_from_slice(ssh);
        let (carried, rest) = read(&proxied);
        assert_eq!(
            carried,
            Ok(Carried::Client("203.0.113.9:40000".parse().unwrap()))
        );
        assert_eq!(rest, ssh);

        // With a TLV (a NOOP of 3 bytes) after the addresses.
        let mut body = body.to_vec();
        body.extend_from_slice(&[0x04, 0, 3, 1, 2, 3]);
        let mut tlv = v2(1, 0x11, &body);
        tlv.extend_from_slice(ssh);
        let (carried, rest) = read(&tlv);
        assert_eq!(
            carried,
            Ok(Carried::Client("203.0.113.9:40000".parse().unwrap()))
        );
        assert_eq!(rest, ssh);

        let mut local = v2(0, 0x00, &[]);
        local.extend_from_slice(ssh);
        let (carried, rest) = read(&local);
        assert_eq!(carried, Ok(Carried::Local));
        assert_eq!(rest, ssh);
    }

    #[test]
    fn bad_headers_are_refused_within_the_bound() {
        // Garbage: refused after the first 15 bytes.
        let garbage = vec![b'x'; 10_000];
        let (carried, rest) = read(&garbage);
        assert!(carried.unwrap_err().contains("no PROXY header"));
        assert_eq!(rest.len(), 10_000 - SHORTEST);
        // SSH straight away: not a header either.
        let (carried, _) = read(b"SSH-2.0-OpenSSH_9.2\r\n");
        assert!(carried.is_err());
        // A v1 line that never ends: refused at 107 bytes.
        let mut long = b"PROXY TCP4 ".to_vec();
        long.resize(10_000, b'1');
        let (carried, rest) = read(&long);
        assert!(carried.unwrap_err().contains("longer than 107"));
        assert_eq!(rest.len(), 10_000 - V1_MAX);
        // A v2 header claiming 65535 bytes: refused after its 16.
        let mut huge = v2(1, 0x11, &[]);
        huge[14] = 0xff;
        huge[15] = 0xff;
        huge.resize(10_000, 0);
        let (carried, rest) = read(&huge);
        assert!(carried.unwrap_err().contains("65551 bytes"));
        assert_eq!(rest.len(), 10_000 - 16);
        // Well-sized but wrong inside.
        for bad in [
            &b"PROXY TCP4 1.2.3.4\r\nSSH-2.0-x\r\n"[..],
            b"PROXY TCP4 999.0.0.1 1.2.3.4 1 2\r\n",
            b"PROXY TCP9 1.2.3.4 1.2.3.4 1 2\r\n",
            b"PROXY TCP4 1.2.3.4 1.2.3.4 1 2\n\n\n\n",
        ] {
            let (carried, _) = read(bad);
            assert!(
                carried.is_err(),
                "{:?}: {carried:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let short_v2 = v2(1, 0x11, &[1, 2, 3, 4]);
        assert!(read(&short_v2).0.is_err());
        let mut bad_version = v2(1, 0x11, &[0; 12]);
        bad_version[12] = 0x31;
        assert!(read(&bad_version).0.is_err());
        // Closed half way.
        let (carried, _) = read(b"PROXY TCP4 1.2.3.4 ");
        assert!(carried.unwrap_err().contains("closed"));
    }
}
