//! The byte-level prefilter of the scan: one pass over a line tells which forms can occur in it
//! at all, so that each form runs only on the lines it could match.

/// What one pass over a line's bytes tells about which forms can occur in it at all: most
/// lines rule out most forms, and running a form costs more than this whole pass.
pub(super) struct Features {
    /// A `.` before a digit: `10.0`.
    pub(super) dot_digit: bool,
    /// A `.` before a letter: `db.example`.
    pub(super) dot_letter: bool,
    /// `:5432`.
    pub(super) colon_digit: bool,
    /// `::`, as in IPv6 literals.
    pub(super) double_colon: bool,
    pub(super) colons: usize,
    /// `:/`, as in `scheme://`.
    pub(super) scheme: bool,
    pub(super) at: bool,
    pub(super) bracket: bool,
    pub(super) equals: bool,
    /// `{` or `}`: a block opens or closes.
    pub(super) brace: bool,
    /// `${`, `%{`, `{{` or `$(`: a template or a command substitution.
    pub(super) template: bool,
    /// `//` or a backslash pair: an SMB share, or a URL.
    pub(super) slashes: bool,
    /// `(`: a call, as syslog-ng writes its options.
    pub(super) paren: bool,
    /// `os` in any case, as in `host`: a conninfo `host=` can only stand in such a line.
    pub(super) os: bool,
}

impl Features {
    /// Branch-free: what a byte starts (`LEAD`) meets what the next one completes (`FOLLOW`);
    /// the bits overlap only for the pairs that matter (`.` then a digit, `:` then `/`, ...).
    pub(super) fn of(line: &str) -> Features {
        let b = line.as_bytes();
        let (mut flags, mut lead) = (0, 0);
        for &c in b {
            flags |= lead & FOLLOW[c as usize];
            lead = LEAD[c as usize];
        }
        flags |= lead & FOLLOW[0];
        let has = |flag: u16| flags & flag != 0;
        Features {
            dot_digit: has(DOT_DIGIT),
            dot_letter: has(DOT_LETTER),
            colon_digit: has(COLON_DIGIT),
            double_colon: has(DOUBLE_COLON),
            colons: if has(COLON_ANY) {
                b.iter().filter(|&&c| c == b':').count()
            } else {
                0
            },
            scheme: has(COLON_SLASH),
            at: has(AT),
            bracket: has(BRACKET),
            equals: has(EQUALS),
            brace: has(BRACE),
            template: has(TEMPLATE),
            slashes: has(SLASHES),
            paren: has(PAREN),
            os: has(OS),
        }
    }
}

const DOT_DIGIT: u16 = 1;
const DOT_LETTER: u16 = 1 << 1;
const COLON_DIGIT: u16 = 1 << 2;
const DOUBLE_COLON: u16 = 1 << 3;
const COLON_SLASH: u16 = 1 << 4;
const COLON_ANY: u16 = 1 << 5;
const AT: u16 = 1 << 6;
const BRACKET: u16 = 1 << 7;
const EQUALS: u16 = 1 << 8;
const BRACE: u16 = 1 << 9;
const TEMPLATE: u16 = 1 << 10;
const SLASHES: u16 = 1 << 11;
const PAREN: u16 = 1 << 12;
const OS: u16 = 1 << 13;
/// Features of a byte alone, whatever follows it.
const ALONE: u16 = COLON_ANY | AT | BRACKET | EQUALS | BRACE | PAREN;

/// Per byte, the features it starts.
static LEAD: [u16; 256] = {
    let mut table = [0; 256];
    table[b'.' as usize] = DOT_DIGIT | DOT_LETTER;
    table[b':' as usize] = COLON_DIGIT | DOUBLE_COLON | COLON_SLASH | COLON_ANY;
    table[b'@' as usize] = AT;
    table[b'[' as usize] = BRACKET;
    table[b'=' as usize] = EQUALS;
    table[b'{' as usize] = BRACE | TEMPLATE;
    table[b'}' as usize] = BRACE;
    table[b'$' as usize] = TEMPLATE;
    table[b'%' as usize] = TEMPLATE;
    table[b'/' as usize] = SLASHES;
    table[b'\\' as usize] = SLASHES;
    table[b'(' as usize] = PAREN;
    table[b'o' as usize] = OS;
    table[b'O' as usize] = OS;
    table
};

/// Per byte, the features it completes as the next byte.
static FOLLOW: [u16; 256] = {
    let mut table = [ALONE; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_digit() {
            table[c] |= DOT_DIGIT | COLON_DIGIT;
        } else if b.is_ascii_alphabetic() {
            table[c] |= DOT_LETTER;
        }
        c += 1;
    }
    table[b':' as usize] |= DOUBLE_COLON;
    table[b'/' as usize] |= COLON_SLASH | SLASHES;
    table[b'\\' as usize] |= SLASHES;
    table[b'{' as usize] |= TEMPLATE;
    table[b's' as usize] |= OS;
    table[b'S' as usize] |= OS;
    table[b'(' as usize] |= TEMPLATE;
    table
};
