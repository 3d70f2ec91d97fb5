package image

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// BenchmarkPush pushes a random multi-layer image (SHIPFLOW_BENCH_MB,
// default 100 MB, in 10 layers) from an OCI layout to a real
// docker-registry on 127.0.0.1, each iteration into a new repository:
//
//   - floor: go-containerregistry's remote.Write of the layout image, what
//     `crane copy` does;
//   - push: image.Push, which also relabels the config and writes five tags;
//   - again: image.Push of the same image into the same repository; the
//     uploaded-B/op metric must be 0.
//
// Target: push throughput at least 0.9x the floor. bench/image/run.sh runs
// it and prints the ratio.
func BenchmarkPush(b *testing.B) {
	mb := int64(100)
	if s := os.Getenv("SHIPFLOW_BENCH_MB"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		mb = n
	}
	const layers = 10
	size := mb << 20
	img, err := random.Image(size/layers, layers)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		b.Fatal(err)
	}
	if err := lp.AppendImage(img); err != nil {
		b.Fatal(err)
	}
	src, err := loadLayout(dir)
	if err != nil {
		b.Fatal(err)
	}
	reg := startRegistry(b, false)
	knobs := []Option{WithKeychain(authn.NewMultiKeychain())}
	n := 0

	b.Run("floor-remote.Write", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			n++
			ref, _ := name.NewTag(fmt.Sprintf("%s/floor%d:1.0.0", reg.Host, n))
			if err := remote.Write(ref, src.img); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("push", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			n++
			rep, err := Push(b.Context(), PushOptions{From: dir, To: fmt.Sprintf("%s/push%d", reg.Host, n), Version: "1.0.0"}, knobs...)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(rep.Uploaded), "uploaded-B/op")
		}
	})
	// Interleaved, so that load from other processes hits both alike: the
	// ratio metric is push throughput over floor throughput (target ≥ 0.9).
	b.Run("ratio", func(b *testing.B) {
		var floor, push time.Duration
		for b.Loop() {
			n++
			ref, _ := name.NewTag(fmt.Sprintf("%s/floor%d:1.0.0", reg.Host, n))
			start := time.Now()
			if err := remote.Write(ref, src.img); err != nil {
				b.Fatal(err)
			}
			floor += time.Since(start)
			start = time.Now()
			if _, err := Push(b.Context(), PushOptions{From: dir, To: fmt.Sprintf("%s/push%d", reg.Host, n), Version: "1.0.0"}, knobs...); err != nil {
				b.Fatal(err)
			}
			push += time.Since(start)
		}
		b.ReportMetric(floor.Seconds()/push.Seconds(), "push/floor-throughput")
		b.ReportMetric(float64(size)/1e6/floor.Seconds()*float64(b.N), "floor-MB/s")
		b.ReportMetric(float64(size)/1e6/push.Seconds()*float64(b.N), "push-MB/s")
	})
	b.Run("again", func(b *testing.B) {
		to := fmt.Sprintf("%s/again", reg.Host)
		if _, err := Push(b.Context(), PushOptions{From: dir, To: to, Version: "1.0.0"}, knobs...); err != nil {
			b.Fatal(err)
		}
		var uploaded int64
		for b.Loop() {
			rep, err := Push(b.Context(), PushOptions{From: dir, To: to, Version: "1.0.0"}, knobs...)
			if err != nil {
				b.Fatal(err)
			}
			uploaded += rep.Uploaded
		}
		b.ReportMetric(float64(uploaded)/float64(b.N), "uploaded-B/op")
	})
}
