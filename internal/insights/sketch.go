package insights

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"sync/atomic"
)

// Precision is the number of hash bits a Sketch uses to pick a register.
const Precision = 12

const (
	registers    = 1 << Precision // 4096
	regsPerWord  = 4              // 8-bit registers packed in a uint32
	maxRank      = 64 - Precision + 1
	sketchFormat = 1 // version byte of the marshalled form
	// SketchSize is the length of a marshalled Sketch: a version byte, a
	// precision byte, then the registers packed six bits each.
	SketchSize = 2 + registers*6/8
)

// ErrInvalidSketch is wrapped by the errors UnmarshalBinary returns.
var ErrInvalidSketch = errors.New("invalid sketch")

// Sketch is a HyperLogLog cardinality sketch with 4096 registers (standard
// error 1.04/√4096 ≈ 1.6%). It estimates how many distinct hashes were
// added. Add, Merge, Estimate and MarshalBinary are safe for concurrent use;
// UnmarshalBinary is not. The zero Sketch is empty and ready to use. A Sketch
// must not be copied after first use.
type Sketch struct {
	words [registers / regsPerWord]atomic.Uint32
}

// Add records a 64-bit hash. The hash should be uniformly distributed.
func (s *Sketch) Add(hash uint64) {
	s.add(hash)
}

// add records hash and reports whether a register grew.
func (s *Sketch) add(hash uint64) bool {
	idx := hash >> (64 - Precision)
	// The sentinel bit bounds the rank at maxRank when the remaining bits
	// are all zero.
	rank := uint32(bits.LeadingZeros64(hash<<Precision|1<<(Precision-1))) + 1
	word := &s.words[idx/regsPerWord]
	shift := (idx % regsPerWord) * 8
	for {
		old := word.Load()
		if (old>>shift)&0xff >= rank {
			return false
		}
		if word.CompareAndSwap(old, old&^(0xff<<shift)|rank<<shift) {
			return true
		}
	}
}

// register returns register i.
func (s *Sketch) register(i int) uint32 {
	return (s.words[i/regsPerWord].Load() >> ((i % regsPerWord) * 8)) & 0xff
}

// Estimate returns the estimated number of distinct hashes added: the
// HyperLogLog estimate, or linear counting while it is at most 2.5 × 4096
// and some register is still zero. No large-range correction is needed with
// 64-bit hashes.
func (s *Sketch) Estimate() uint64 {
	const m = float64(registers)
	var sum float64
	var zeros int
	for i := range registers {
		r := s.register(i)
		if r == 0 {
			zeros++
		}
		sum += math.Ldexp(1, -int(r))
	}
	alpha := 0.7213 / (1 + 1.079/m)
	est := alpha * m * m / sum
	if est <= 2.5*m && zeros > 0 {
		est = m * math.Log(m/float64(zeros))
	}
	return uint64(math.Round(est))
}

// Merge adds every hash recorded in other to s, as if they had been added to
// s directly. Merging is idempotent and commutative.
func (s *Sketch) Merge(other *Sketch) {
	if other == s {
		return
	}
	for i := range s.words {
		in := other.words[i].Load()
		for {
			old := s.words[i].Load()
			merged := maxBytes(old, in)
			if merged == old || s.words[i].CompareAndSwap(old, merged) {
				break
			}
		}
	}
}

// maxBytes returns the byte-wise maximum of a and b.
func maxBytes(a, b uint32) uint32 {
	var out uint32
	for shift := 0; shift < 32; shift += 8 {
		out |= max((a>>shift)&0xff, (b>>shift)&0xff) << shift
	}
	return out
}

// MarshalBinary returns the sketch in its stored form: SketchSize bytes, a
// format version, the precision, and the register maxima packed six bits
// each. It holds no hash.
func (s *Sketch) MarshalBinary() ([]byte, error) {
	return s.marshal(), nil
}

// marshal returns the stored form of s.
func (s *Sketch) marshal() []byte {
	out := make([]byte, SketchSize)
	out[0] = sketchFormat
	out[1] = Precision
	p := out[2:]
	for i := 0; i < registers; i += 4 {
		v := s.register(i)<<18 | s.register(i+1)<<12 | s.register(i+2)<<6 | s.register(i+3)
		j := i / 4 * 3
		p[j], p[j+1], p[j+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	return out
}

// UnmarshalBinary replaces the sketch's registers with those of data, which
// MarshalBinary produced. It must not run concurrently with other methods.
func (s *Sketch) UnmarshalBinary(data []byte) error {
	if len(data) < 2 {
		return fmt.Errorf("insights: unmarshal sketch: %w: %d bytes, want %d", ErrInvalidSketch, len(data), SketchSize)
	}
	if data[0] != sketchFormat {
		return fmt.Errorf("insights: unmarshal sketch: %w: format version %d, want %d", ErrInvalidSketch, data[0], sketchFormat)
	}
	if data[1] != Precision {
		return fmt.Errorf("insights: unmarshal sketch: %w: precision %d, want %d", ErrInvalidSketch, data[1], Precision)
	}
	if len(data) != SketchSize {
		return fmt.Errorf("insights: unmarshal sketch: %w: %d bytes, want %d", ErrInvalidSketch, len(data), SketchSize)
	}
	var words [registers / regsPerWord]uint32
	p := data[2:]
	for i := 0; i < registers; i += 4 {
		j := i / 4 * 3
		v := uint32(p[j])<<16 | uint32(p[j+1])<<8 | uint32(p[j+2])
		for k := range 4 {
			r := (v >> (18 - 6*k)) & 0x3f
			if r > maxRank {
				return fmt.Errorf("insights: unmarshal sketch: %w: register %d is %d, at most %d", ErrInvalidSketch, i+k, r, maxRank)
			}
			words[(i+k)/regsPerWord] |= r << (((i + k) % regsPerWord) * 8)
		}
	}
	for i, w := range words {
		s.words[i].Store(w)
	}
	return nil
}
