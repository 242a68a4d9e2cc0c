// Command abusedns holds the two helpers of scripts/abuse-dns.sh, which
// replays issue 10's DNS abuse scenarios against a built manglanh. Not
// part of the product.
//
//	abusedns hole -listen 127.0.0.1:5499 -ttl 2
//	    an upstream answering A with a short TTL; SIGUSR1 toggles dropping
//	    every query unanswered (black-holed, as a lost route is)
//	abusedns idle -from 127.0.0.2 -to host:port,... -n 1100 -hold 25s
//	    opens n TCP connections from one address to each target and holds
//	    them idle
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: abusedns hole|idle [flags]")
	}
	switch os.Args[1] {
	case "hole":
		hole(os.Args[2:])
	case "idle":
		idle(os.Args[2:])
	default:
		log.Fatalf("unknown subcommand %q", os.Args[1])
	}
}

func hole(args []string) {
	fs := flag.NewFlagSet("hole", flag.ExitOnError)
	addr := fs.String("listen", "127.0.0.1:5499", "UDP address")
	ttl := fs.Uint("ttl", 2, "TTL of the A answers")
	fs.Parse(args)
	var holed atomic.Bool
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for range sig {
			holed.Store(!holed.Load())
			log.Printf("black-holed: %v", holed.Load())
		}
	}()
	pc, err := net.ListenPacket("udp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 4096)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			log.Fatal(err)
		}
		var r dns.Msg
		if holed.Load() || r.Unpack(buf[:n]) != nil || len(r.Question) != 1 {
			continue
		}
		m := new(dns.Msg)
		m.SetReply(&r)
		if q := r.Question[0]; q.Qtype == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: uint32(*ttl)}, A: net.IPv4(192, 0, 2, 7)})
		}
		if o := r.IsEdns0(); o != nil {
			m.SetEdns0(1232, o.Do())
		}
		b, _ := m.Pack()
		pc.WriteTo(b, from)
	}
}

func idle(args []string) {
	fs := flag.NewFlagSet("idle", flag.ExitOnError)
	from := fs.String("from", "127.0.0.2", "local address (any of 127.0.0.0/8 on Linux)")
	to := fs.String("to", "", "comma-separated host:port targets")
	n := fs.Int("n", 1100, "connections per target")
	hold := fs.Duration("hold", 30*time.Second, "how long to hold them")
	fs.Parse(args)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(*from)}, Timeout: 5 * time.Second}
	var mu sync.Mutex
	var conns []net.Conn
	for _, a := range strings.Split(*to, ",") {
		ok, failed := 0, 0
		var wg sync.WaitGroup
		sem := make(chan struct{}, 64)
		for range *n {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				c, err := d.Dial("tcp", a)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failed++
					return
				}
				ok++
				conns = append(conns, c)
			})
		}
		wg.Wait()
		fmt.Printf("%s: %d connected, %d reset or failed while connecting\n", a, ok, failed)
	}
	fmt.Println("holding")
	time.Sleep(*hold)
}
