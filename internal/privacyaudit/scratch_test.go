package privacyaudit

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

func TestScratch(t *testing.T) {
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("FOREIGN GOT", r.Method, r.URL)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Path == "/frame" {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<img src="/frameimg.png"><script>fetch("/framefetch")</script>`)
			return
		}
		w.Write([]byte("x"))
	}))
	defer foreign.Close()
	furl := "http://localhost:" + foreign.URL[len("http://127.0.0.1:"):]
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<!doctype html><link rel=prefetch href="%[1]s/prefetch"><iframe src="%[1]s/frame"></iframe>
<script>new Worker("/w.js"); navigator.serviceWorker.register("/sw.js").then(()=>{});
try{new WebSocket("ws://localhost:1/ws")}catch(e){}
navigator.sendBeacon("%[1]s/beacon","x");
</script>`, furl)
		case "/w.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprintf(w, `fetch("%s/workerfetch")`, furl)
		case "/sw.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprintf(w, `fetch("%s/swfetch")`, furl)
		}
	}))
	defer site.Close()
	dir, _ := os.MkdirTemp("", "pa")
	defer os.RemoveAll(dir)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.UserDataDir(dir))
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	bctx := ctx
	show := func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			fmt.Println("CHILD REQ", ev.Type, ev.Request.URL, ev.FrameID)
		}
	}
	if _, err := chromedp.Call(ctx, target.SetAutoAttach, target.SetAutoAttachParams{AutoAttach: true, WaitForDebuggerOnStart: true, Flatten: ptrb(true)}); err != nil {
		t.Fatal(err)
	}
	chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*target.EventAttachedToTarget); ok {
			go func() {
				cctx, _ := chromedp.NewContext(bctx, chromedp.WithTargetID(ev.TargetInfo.TargetID), chromedp.WithListener(show))
				start := time.Now()
				err := chromedp.Do(cctx)
				fmt.Println("child attach", ev.TargetInfo.Type, err, time.Since(start))
				_, err = chromedp.Call(cctx, runtime.RunIfWaitingForDebugger, cdp.Empty{})
				fmt.Println("child resume", err)
			}()
		}
	})
	chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			fmt.Println("REQ", ev.Type, ev.Request.URL, ev.FrameID)
		case *network.EventWebSocketCreated:
			fmt.Println("WS", ev.URL)
		case *target.EventAttachedToTarget:
			fmt.Println("ATTACHED", ev.TargetInfo.Type, ev.TargetInfo.URL, ev.WaitingForDebugger)
		}
	})
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
}

func ptrb(b bool) *bool { return &b }
