//go:build ignore

// gen.go writes the image bench/image/run.sh pushes: -mb MiB of random
// bytes in -layers gzipped layers (random data does not compress, so the
// blobs are as large as the content), as a `docker save` tarball
// (OUT/image.tar) and as an OCI layout (OUT/oci). The same -seed gives the
// same image, so runs compare like with like.
//
//	go run bench/image/gen.go -mb 100 -out /tmp/img
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func main() {
	mb := flag.Int64("mb", 100, "MiB of layer content")
	layers := flag.Int64("layers", 10, "number of layers")
	seed := flag.Int64("seed", 1, "seed of the random content")
	out := flag.String("out", ".", "directory to write image.tar and oci/ into")
	flag.Parse()

	img, err := random.Image(*mb<<20 / *layers, *layers, random.WithSource(rand.NewSource(*seed)))
	if err != nil {
		log.Fatal(err)
	}
	tag, err := name.NewTag("example.com/bench:build")
	if err != nil {
		log.Fatal(err)
	}
	if err := tarball.WriteToFile(filepath.Join(*out, "image.tar"), tag, img); err != nil {
		log.Fatal(err)
	}
	lp, err := layout.Write(filepath.Join(*out, "oci"), empty.Index)
	if err != nil {
		log.Fatal(err)
	}
	if err := lp.AppendImage(img); err != nil {
		log.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d)
}
