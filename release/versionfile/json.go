package versionfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// jsonFind walks the token stream to the string at path; object keys match
// segments, numeric segments index arrays. The value's start comes from
// Decoder.InputOffset before the value token, its end from after it.
func jsonFind(data []byte, path []string) (span, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	s, err := jsonWalk(dec, data, path)
	if err != nil {
		if errors.Is(err, errNoVersion) {
			return span{}, err
		}
		return span{}, fmt.Errorf("parsing JSON: %w", err)
	}
	return s, nil
}

func jsonWalk(dec *json.Decoder, data []byte, path []string) (span, error) {
	before := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return span{}, err
	}
	if len(path) == 0 {
		str, ok := tok.(string)
		if !ok {
			return span{}, fmt.Errorf("%w: the value is %v, not a string", errNoVersion, tok)
		}
		end := int(dec.InputOffset())
		start := bytes.IndexByte(data[before:end], '"')
		if start < 0 {
			return span{}, errors.New("no string where one was decoded")
		}
		s := span{int(before) + start + 1, end - 1}
		if string(data[s.start:s.end]) != str {
			return span{}, errors.New("the value has escapes")
		}
		return s, nil
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return span{}, err
			}
			if k.(string) == path[0] {
				return jsonWalk(dec, data, path[1:])
			}
			if err := jsonSkip(dec); err != nil {
				return span{}, err
			}
		}
	case json.Delim('['):
		want, err := strconv.Atoi(path[0])
		if err != nil {
			return span{}, fmt.Errorf("%w: %q indexes an array", errNoVersion, path[0])
		}
		for i := 0; dec.More(); i++ {
			if i == want {
				return jsonWalk(dec, data, path[1:])
			}
			if err := jsonSkip(dec); err != nil {
				return span{}, err
			}
		}
	}
	return span{}, fmt.Errorf("%w: no key %s", errNoVersion, joinKey(path))
}

// jsonSkip consumes one value.
func jsonSkip(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}
