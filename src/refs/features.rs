//! The byte-level prefilter of the scan: one pass over a line tells which forms can occur in it
//! at all, so that each form runs only on the lines it could match.

/// What one pass over a line's bytes tells about which forms can occur in it at all: most
/// lines rule out most forms, and running a form costs more than this whole pass. Kept as the
/// pass's bits, read by the methods below: most of them are never asked of a given line, and
/// setting fifteen fields on every line showed.
pub(super) struct Features {
    flags: u16,
    pub(super) colons: usize,
}

/// Each feature's method: whether the line has it.
macro_rules! features {
    ($($(#[$doc:meta])* $name:ident: $feature:ident,)*) => {
        impl Features {
            $(
                $(#[$doc])*
                pub(super) fn $name(&self) -> bool {
                    self.flags & bit($feature) != 0
                }
            )*
        }
    };
}

features! {
    /// A `.` before a digit: `10.0`.
    dot_digit: DotDigit,
    /// A `.` before a letter: `db.example`.
    dot_letter: DotLetter,
    /// `:5432`.
    colon_digit: ColonDigit,
    /// `::`, as in IPv6 literals.
    double_colon: DoubleColon,
    /// `:/`, as in `scheme://`.
    scheme: ColonSlash,
    at: At,
    bracket: Bracket,
    equals: Equals,
    /// `{` or `}`: a block opens or closes.
    brace: Brace,
    /// `${`, `%{`, `{{`, `$(` or `<%`: a template or a command substitution.
    template: Template,
    /// `//` or a backslash pair: an SMB share, or a URL.
    slashes: Slashes,
    /// `(`: a call, as syslog-ng writes its options.
    paren: Paren,
    /// `os` in any case, as in `host`: a conninfo `host=` can only stand in such a line.
    os: Os,
    /// A `#` after a blank: a comment may follow the line's content.
    blank_hash: BlankHash,
    /// `<`: an element or a tag may start the line.
    angle: Angle,
}

impl Features {
    /// Branch-free: what a byte starts (`LEAD`) meets what the next one completes (`FOLLOW`);
    /// the bits overlap only for the pairs that matter (`.` then a digit, `:` then `/`, ...).
    /// Always inlined into the walk, its one caller: called, it cost half again as much (its
    /// result goes through memory), and whether the compiler inlines it changed with unrelated
    /// edits to the walk.
    #[inline(always)]
    pub(super) fn of(line: &str) -> Features {
        let b = line.as_bytes();
        let (mut flags, mut lead) = (0, 0);
        // Four bytes a round: the pairs within a round are independent, and the loop's own
        // count and branch are paid once for four bytes (this pass reads every line's bytes).
        let mut rounds = b.chunks_exact(4);
        for c in &mut rounds {
            let lead_of = |i: usize| LEAD[c[i] as usize];
            let follow_of = |i: usize| FOLLOW[c[i] as usize];
            flags |= (lead & follow_of(0))
                | (lead_of(0) & follow_of(1))
                | (lead_of(1) & follow_of(2))
                | (lead_of(2) & follow_of(3));
            lead = lead_of(3);
        }
        for &c in rounds.remainder() {
            flags |= lead & FOLLOW[c as usize];
            lead = LEAD[c as usize];
        }
        flags |= lead & FOLLOW[0];
        Features {
            flags,
            colons: if flags & bit(ColonAny) != 0 {
                b.iter().filter(|&&c| c == b':').count()
            } else {
                0
            },
        }
    }
}

/// What a line's bytes may start or complete: one bit each of a line's flags.
#[derive(Clone, Copy)]
enum Feature {
    DotDigit,
    DotLetter,
    ColonDigit,
    DoubleColon,
    ColonSlash,
    ColonAny,
    At,
    Bracket,
    Equals,
    Brace,
    Template,
    Slashes,
    Paren,
    Os,
    BlankHash,
    Angle,
}
use Feature::*;

/// The bit of `feature`.
const fn bit(feature: Feature) -> u16 {
    1 << feature as u16
}

/// Features of a byte alone, whatever follows it.
const ALONE: u16 =
    bit(ColonAny) | bit(At) | bit(Bracket) | bit(Equals) | bit(Brace) | bit(Paren) | bit(Angle);

/// Per byte, the features it starts.
static LEAD: [u16; 256] = {
    let mut table = [0; 256];
    table[b'.' as usize] = bit(DotDigit) | bit(DotLetter);
    table[b':' as usize] = bit(ColonDigit) | bit(DoubleColon) | bit(ColonSlash) | bit(ColonAny);
    table[b'@' as usize] = bit(At);
    table[b'[' as usize] = bit(Bracket);
    table[b'=' as usize] = bit(Equals);
    table[b'{' as usize] = bit(Brace) | bit(Template);
    table[b'}' as usize] = bit(Brace);
    table[b'$' as usize] = bit(Template);
    table[b'%' as usize] = bit(Template);
    table[b'/' as usize] = bit(Slashes);
    table[b'\\' as usize] = bit(Slashes);
    table[b'(' as usize] = bit(Paren);
    table[b'<' as usize] = bit(Template) | bit(Angle);
    table[b'o' as usize] = bit(Os);
    table[b'O' as usize] = bit(Os);
    table[b' ' as usize] = bit(BlankHash);
    table[b'\t' as usize] = bit(BlankHash);
    table
};

/// Per byte, the features it completes as the next byte.
static FOLLOW: [u16; 256] = {
    let mut table = [ALONE; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_digit() {
            table[c] |= bit(DotDigit) | bit(ColonDigit);
        } else if b.is_ascii_alphabetic() {
            table[c] |= bit(DotLetter);
        }
        c += 1;
    }
    table[b':' as usize] |= bit(DoubleColon);
    table[b'/' as usize] |= bit(ColonSlash) | bit(Slashes);
    table[b'\\' as usize] |= bit(Slashes);
    table[b'{' as usize] |= bit(Template);
    table[b's' as usize] |= bit(Os);
    table[b'S' as usize] |= bit(Os);
    table[b'(' as usize] |= bit(Template);
    table[b'%' as usize] |= bit(Template);
    table[b'#' as usize] |= bit(BlankHash);
    table
};
