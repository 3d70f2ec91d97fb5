//go:build linux || darwin

package versionfile

import (
	"bytes"
	"strings"

	"golang.org/x/sys/unix"
)

// newScanner returns an fdScan: the portable os.Root scan costs ten
// system calls a file (a stat, the open, the poller's registration and
// its undoing, two reads, the close), this one four.
func newScanner(root string) scanner {
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return newRootScan(root)
	}
	return &fdScan{stack: []dirFD{{fd: fd}}}
}

// fdScan opens each directory once, one name at a time from the root
// with O_NOFOLLOW (a symbolic link is never followed, so nothing outside
// the root is read), and keeps the open directories of the current path:
// the walk lists a directory's files together.
type fdScan struct {
	stack []dirFD // stack[0] is the root
	buf   []byte
}

type dirFD struct {
	path string // slash path with a trailing slash; "" for the root
	fd   int
}

// dir returns the descriptor of the directory dirName ("" or "a/b/").
func (s *fdScan) dir(dirName string) (int, bool) {
	for len(s.stack) > 1 && !strings.HasPrefix(dirName, s.stack[len(s.stack)-1].path) {
		s.pop()
	}
	for top := s.stack[len(s.stack)-1]; top.path != dirName; top = s.stack[len(s.stack)-1] {
		name, _, _ := strings.Cut(dirName[len(top.path):], "/")
		if name == "" || name == "." || name == ".." {
			return -1, false
		}
		fd, err := unix.Openat(top.fd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			return -1, false
		}
		s.stack = append(s.stack, dirFD{path: top.path + name + "/", fd: fd})
	}
	return s.stack[len(s.stack)-1].fd, true
}

func (s *fdScan) pop() {
	unix.Close(s.stack[len(s.stack)-1].fd)
	s.stack = s.stack[:len(s.stack)-1]
}

func (s *fdScan) mayCarry(rel string) bool {
	i := strings.LastIndexByte(rel, '/') + 1
	dirName, base := rel[:i], rel[i:]
	if base == "" || base == "." || base == ".." {
		return true
	}
	dfd, ok := s.dir(dirName)
	if !ok {
		return true
	}
	// O_NONBLOCK: a FIFO must not stop the scan; fstat then says it is not
	// a regular file.
	fd, err := unix.Openat(dfd, base, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return true
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || uint32(st.Mode)&unix.S_IFMT != unix.S_IFREG || st.Size > maxMarkerScan {
		return true
	}
	size := int(st.Size)
	if cap(s.buf) < size+1 {
		s.buf = make([]byte, size+1)
	}
	// Reading a regular file returns fewer bytes than asked only at its
	// end: one read of size+1 bytes usually ends it.
	n := 0
	for n <= size {
		m, err := unix.Read(fd, s.buf[n:size+1])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return true
		}
		n += m
		if m == 0 || n == size {
			break
		}
	}
	if n != size {
		return true // it changed under us: let repofs read it
	}
	return bytes.Contains(s.buf[:n], []byte(Marker))
}

func (s *fdScan) close() {
	for len(s.stack) > 0 {
		s.pop()
	}
}
