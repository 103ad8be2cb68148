package sensitive

// bsn reads a nine-digit number at i, either plain ("111222333") or in the
// notation of Dutch documents ("1112.22.333"), and reports where it ends if
// it passes the elfproef: the digits weighted 9, 8, 7, 6, 5, 4, 3, 2 and −1
// sum to a multiple of 11 (and not to zero).
func bsn(text string, i int) (end int, ok bool) {
	var digits [9]byte
	n := 0
	j := i
	for j < len(text) && n < 9 {
		c := text[j]
		switch {
		case isDigit(c):
			digits[n] = c - '0'
			n++
			j++
		case c == '.' && (n == 4 || n == 6) && j+1 < len(text) && isDigit(text[j+1]) && dottedBSN(text, i):
			j++
		default:
			return 0, false
		}
	}
	if n != 9 || (j < len(text) && isDigit(text[j])) {
		return 0, false
	}
	return j, Elfproef(digits)
}

// dottedBSN reports whether the number at i is written 4.2.3.
func dottedBSN(text string, i int) bool {
	return i+11 <= len(text) && text[i+4] == '.' && text[i+7] == '.'
}

// Elfproef reports whether nine digits (each 0–9) pass the elfproef of the
// burgerservicenummer.
func Elfproef(d [9]byte) bool {
	sum := 0
	for k := 0; k < 8; k++ {
		sum += int(d[k]) * (9 - k)
	}
	sum -= int(d[8])
	return sum != 0 && sum%11 == 0
}

// ibanLengths is the length of the IBAN of each country of the European
// Economic Area, Switzerland, the United Kingdom and the small states that
// use SEPA.
var ibanLengths = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
	"EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GI": 23, "GL": 18, "GR": 27,
	"HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19,
	"SK": 24, "SM": 27, "VA": 22,
}

// iban reads an IBAN at i, written together or in groups of four separated
// by single spaces, and reports where it ends if its length is its
// country's and its check digits are right (ISO 13616: mod 97 = 1).
func iban(text string, i int) (end int, ok bool) {
	if i+4 > len(text) || !isLetter(text[i]) || !isLetter(text[i+1]) || !isDigit(text[i+2]) || !isDigit(text[i+3]) {
		return 0, false
	}
	want, ok := ibanLengths[string([]byte{upper(text[i]), upper(text[i+1])})]
	if !ok {
		return 0, false
	}
	chars := make([]byte, 0, 34)
	j := i
	for j < len(text) && len(chars) < want {
		c := text[j]
		switch {
		case isAlnum(c):
			chars = append(chars, upper(c))
			j++
		case c == ' ' && len(chars)%4 == 0 && j+1 < len(text) && isAlnum(text[j+1]):
			j++
		default:
			return 0, false
		}
	}
	if len(chars) != want {
		return 0, false
	}
	return j, ibanChecksum(chars)
}

// ibanChecksum reports whether an IBAN of upper-case letters and digits
// passes ISO 13616: the first four characters moved to the end, letters
// read as 10 to 35, the number modulo 97 is 1.
func ibanChecksum(s []byte) bool {
	rearranged := append(append(make([]byte, 0, len(s)), s[4:]...), s[:4]...)
	rem := 0
	for _, c := range rearranged {
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case isUpper(c):
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// idDocument reads the number of a Dutch passport or identity card at i:
// nine characters, letters in positions 1 and 2, letters or digits in 3 to
// 8, a digit in 9, never the letter O. To tell it from case and reference
// numbers (letters followed by digits only, "ZK2024001"), at least one of
// positions 3 to 8 must be a letter, as in every number issued since 2014
// but a few in ten thousand. Published text must write it in capitals, as
// the documents do; in a message lower case counts too, but never mixed.
func idDocument(text string, i int, mode Mode) (end int, ok bool) {
	if i+9 > len(text) {
		return 0, false
	}
	s := text[i : i+9]
	var letters, lower, middleLetters int
	for k := 0; k < 9; k++ {
		c := s[k]
		switch {
		case c == 'O' || c == 'o':
			return 0, false
		case isLetter(c):
			if k == 8 {
				return 0, false
			}
			letters++
			if !isUpper(c) {
				lower++
			}
			if k >= 2 {
				middleLetters++
			}
		case isDigit(c):
			if k < 2 {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	if middleLetters == 0 || (lower > 0 && (mode == Publication || lower != letters)) {
		return 0, false
	}
	return i + 9, true
}
