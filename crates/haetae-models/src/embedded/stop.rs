//! Turning generated token bytes into text that is safe to stream.
//!
//! Two things make this non-trivial: a token may end in the middle of a UTF-8 character (byte-level BPE splits
//! Korean syllables and emoji across tokens), and a stop sequence may be split across several tokens. Text is
//! therefore held back until it can no longer become part of a stop sequence, so a client never sees a partial stop
//! sequence that is later retracted.

/// Reassembles UTF-8 text from token byte pieces, holding back an incomplete trailing character.
#[derive(Debug, Default)]
pub struct Utf8Assembler {
    pending: Vec<u8>,
}

impl Utf8Assembler {
    /// Adds bytes and returns the text that is complete so far. Invalid bytes become U+FFFD rather than an error,
    /// because a model can emit any byte sequence and the request must still finish.
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(text) => {
                    out.push_str(text);
                    self.pending.clear();
                    return out;
                }
                Err(err) => {
                    let valid = err.valid_up_to();
                    // The prefix up to `valid` was just checked, so this cannot fail; stay panic-free anyway.
                    out.push_str(&String::from_utf8_lossy(&self.pending[..valid]));
                    match err.error_len() {
                        // An incomplete character at the end: keep it for the next token.
                        None => {
                            self.pending.drain(..valid);
                            return out;
                        }
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            self.pending.drain(..valid + bad);
                        }
                    }
                }
            }
        }
    }

    /// Ends the text. All that can be left is the start of a character that generation stopped inside (at
    /// `max_tokens`, common in Korean, whose syllables span tokens): it is dropped, since half a character is not
    /// text and U+FFFD at the end of an answer would only be noise for the caller (and for refusal detectors).
    pub fn finish(&mut self) -> String {
        self.pending.clear();
        String::new()
    }
}

/// What the stop matcher decided for a piece of text.
#[derive(Debug, PartialEq, Eq)]
pub enum StopOutcome {
    /// Text that may be sent to the client now (possibly empty, when everything is held back).
    Continue(String),
    /// A stop sequence matched: this is the final text before it; generation must end.
    Stopped(String),
}

/// Finds stop sequences in streamed text without ever releasing a partial match.
#[derive(Debug)]
pub struct StopMatcher {
    stops: Vec<String>,
    held: String,
}

impl StopMatcher {
    /// Empty stop strings are ignored: they would match immediately and end every generation.
    pub fn new(stops: impl IntoIterator<Item = String>) -> Self {
        Self {
            stops: stops.into_iter().filter(|s| !s.is_empty()).collect(),
            held: String::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> StopOutcome {
        self.held.push_str(text);
        if self.stops.is_empty() {
            return StopOutcome::Continue(std::mem::take(&mut self.held));
        }
        // The earliest match wins, whichever stop string it is.
        if let Some(pos) = self
            .stops
            .iter()
            .filter_map(|s| self.held.find(s.as_str()))
            .min()
        {
            let mut out = std::mem::take(&mut self.held);
            out.truncate(pos);
            return StopOutcome::Stopped(out);
        }
        // Hold back the longest tail of the text that is still the start of some stop string.
        let keep = self.longest_partial_suffix();
        let split = self.held.len() - keep;
        let rest = self.held.split_off(split);
        let out = std::mem::replace(&mut self.held, rest);
        StopOutcome::Continue(out)
    }

    /// Releases held-back text when generation ends for another reason (length, end of turn).
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.held)
    }

    fn longest_partial_suffix(&self) -> usize {
        let mut best = 0;
        for stop in &self.stops {
            // Only proper prefixes matter here: a full match was handled above.
            for (idx, _) in stop.char_indices().skip(1) {
                let prefix = &stop[..idx];
                if idx > best && self.held.ends_with(prefix) {
                    best = idx;
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(stops: &[&str], pieces: &[&str]) -> (String, bool, Vec<String>) {
        let mut m = StopMatcher::new(stops.iter().map(|s| s.to_string()));
        let mut out = String::new();
        let mut emitted = Vec::new();
        for p in pieces {
            match m.push(p) {
                StopOutcome::Continue(t) => {
                    emitted.push(t.clone());
                    out.push_str(&t);
                }
                StopOutcome::Stopped(t) => {
                    emitted.push(t.clone());
                    out.push_str(&t);
                    return (out, true, emitted);
                }
            }
        }
        let tail = m.finish();
        emitted.push(tail.clone());
        out.push_str(&tail);
        (out, false, emitted)
    }

    #[test]
    fn stop_within_one_piece() {
        let (out, stopped, _) = run(&["END"], &["hello END world"]);
        assert_eq!(out, "hello ");
        assert!(stopped);
    }

    #[test]
    fn stop_split_across_pieces_never_leaks() {
        let (out, stopped, emitted) = run(&["###"], &["abc #", "#", "# tail"]);
        assert_eq!(out, "abc ");
        assert!(stopped);
        // No emitted piece may contain any part of the stop sequence.
        assert!(emitted.iter().all(|e| !e.contains('#')), "{emitted:?}");
    }

    #[test]
    fn partial_match_that_fails_is_released() {
        let (out, stopped, _) = run(&["###"], &["a #", "#b", " c"]);
        assert_eq!(out, "a ##b c");
        assert!(!stopped);
    }

    #[test]
    fn earliest_of_several_stops_wins() {
        let (out, stopped, _) = run(&["world", "lo w"], &["hel", "lo world"]);
        assert_eq!(out, "hel");
        assert!(stopped);
    }

    #[test]
    fn no_stops_passes_everything_through() {
        let (out, stopped, emitted) = run(&[], &["a", "b"]);
        assert_eq!(out, "ab");
        assert!(!stopped);
        assert_eq!(emitted, vec!["a", "b", ""]);
    }

    #[test]
    fn multibyte_stop_and_text() {
        let (out, stopped, _) = run(&["안녕"], &["반갑다 안", "녕하세요"]);
        assert_eq!(out, "반갑다 ");
        assert!(stopped);
    }

    #[test]
    fn held_text_is_flushed_at_the_end() {
        let (out, stopped, _) = run(&["\n\n"], &["line\n"]);
        assert_eq!(out, "line\n");
        assert!(!stopped);
    }

    #[test]
    fn utf8_split_across_tokens() {
        let bytes = "한국어 ok".as_bytes();
        let mut a = Utf8Assembler::default();
        let mut out = String::new();
        for b in bytes {
            out.push_str(&a.push(std::slice::from_ref(b)));
        }
        out.push_str(&a.finish());
        assert_eq!(out, "한국어 ok");
    }

    #[test]
    fn utf8_invalid_bytes_become_replacement() {
        let mut a = Utf8Assembler::default();
        let mut out = a.push(&[b'a', 0xFF, b'b', 0xE2, 0x82]);
        assert_eq!(out, "a\u{FFFD}b");
        out.push_str(&a.finish());
        assert_eq!(
            out, "a\u{FFFD}b",
            "the unfinished trailing character is dropped"
        );
    }
}
