package demo

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"sort"
)

// The size of every demo picture.
const (
	picWidth  = 1200
	picHeight = 800
)

// picture is a demo illustration drawn in code, with its alt text.
type picture struct {
	name string // file name, for messages
	alt  string
	draw func(c *canvas)
	// width and height are the picture's size; zero: picWidth by
	// picHeight.
	width, height int
}

// encode draws the picture and writes it as PNG. Compression matters
// little: the post service re-encodes every upload.
func (p *picture) encode(w io.Writer) error {
	c := newCanvas()
	if p.width > 0 {
		c = &canvas{image.NewRGBA(image.Rect(0, 0, p.width, p.height))}
	}
	p.draw(c)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, c.RGBA)
}

// canvas is an image with a few drawing operations for flat illustrations.
type canvas struct{ *image.RGBA }

func newCanvas() *canvas {
	return &canvas{image.NewRGBA(image.Rect(0, 0, picWidth, picHeight))}
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

// rect fills the rectangle from (x0, y0) to (x1, y1).
func (c *canvas) rect(x0, y0, x1, y1 int, col color.RGBA) {
	draw.Draw(c.RGBA, image.Rect(x0, y0, x1, y1), image.NewUniform(col), image.Point{}, draw.Src)
}

// gradient fills the rows y0 to y1 with colours running from top to bottom.
func (c *canvas) gradient(y0, y1 int, top, bottom color.RGBA) {
	for y := y0; y < y1; y++ {
		t := float64(y-y0) / float64(y1-y0)
		mix := func(a, b uint8) uint8 { return uint8(float64(a)*(1-t) + float64(b)*t) }
		c.rect(0, y, c.Bounds().Dx(), y+1, rgb(mix(top.R, bottom.R), mix(top.G, bottom.G), mix(top.B, bottom.B)))
	}
}

// ellipse fills the ellipse with centre (cx, cy) and radii rx, ry.
func (c *canvas) ellipse(cx, cy, rx, ry int, col color.RGBA) {
	for y := cy - ry; y <= cy+ry; y++ {
		for x := cx - rx; x <= cx+rx; x++ {
			dx, dy := float64(x-cx)/float64(rx), float64(y-cy)/float64(ry)
			if dx*dx+dy*dy <= 1 && image.Pt(x, y).In(c.Rect) {
				c.SetRGBA(x, y, col)
			}
		}
	}
}

func (c *canvas) circle(cx, cy, r int, col color.RGBA) { c.ellipse(cx, cy, r, r, col) }

// polygon fills the polygon with the given corners (even-odd rule).
func (c *canvas) polygon(col color.RGBA, pts ...image.Point) {
	minY, maxY := picHeight, 0
	for _, p := range pts {
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	for y := max(minY, 0); y < min(maxY, picHeight); y++ {
		fy := float64(y) + 0.5
		var xs []float64
		for i, a := range pts {
			b := pts[(i+1)%len(pts)]
			if (float64(a.Y) <= fy) != (float64(b.Y) <= fy) {
				xs = append(xs, float64(a.X)+(fy-float64(a.Y))*float64(b.X-a.X)/float64(b.Y-a.Y))
			}
		}
		sort.Float64s(xs)
		for i := 0; i+1 < len(xs); i += 2 {
			c.rect(int(xs[i]+0.5), y, int(xs[i+1]+0.5), y+1, col)
		}
	}
}

// house draws a house with a pitched roof standing on the ground at y.
func (c *canvas) house(x, y, w, h int, wall, roof color.RGBA) {
	c.rect(x, y-h, x+w, y, wall)
	c.polygon(roof, image.Pt(x-8, y-h), image.Pt(x+w/2, y-h-w/2), image.Pt(x+w+8, y-h))
	win := rgb(250, 238, 190)
	c.rect(x+w/5, y-h+h/4, x+w/5+w/5, y-h+h/4+h/4, win)
	c.rect(x+3*w/5, y-h+h/4, x+3*w/5+w/5, y-h+h/4+h/4, win)
}

// The demo pictures.
var (
	bins = &picture{
		name: "containers.png",
		alt: "Drie rolcontainers naast elkaar op de stoep: een groene voor gft, een blauwe voor papier " +
			"en een oranje voor plastic, metalen en drankkartons.",
		draw: drawBins,
	}
	roadMap = &picture{
		name: "omleiding-dorpsstraat.png",
		alt: "Kaartje van het centrum van Demodorp. De Dorpsstraat tussen de Molenweg en de Kerkbrink is rood " +
			"gekleurd en aan beide kanten afgesloten met een verbodsbord. Een oranje stippellijn toont de omleiding " +
			"over de Molenweg, de Dijkweg langs de vaart en de Kerkbrink.",
		draw: drawRoadMap,
	}
	heat = &picture{
		name: "hitte.png",
		alt:  "Tekening van een felle zon boven de daken van Demodorp. Links staat een boom met een bankje in de schaduw.",
		draw: drawHeat,
	}
	dyke = &picture{
		name: "hoogwater.png",
		alt: "Tekening van de dijk bij hoogwater: links staat de rivier hoog tegen de groene dijk, bij een peilschaal " +
			"met rode strepen; rechts liggen de huizen van de polder, lager dan het water, droog achter de dijk.",
		draw: drawDyke,
	}
)

func drawBins(c *canvas) {
	c.rect(0, 0, picWidth, 620, rgb(226, 232, 236))
	for y := 40; y < 620; y += 60 { // brick courses of the wall behind
		c.rect(0, y, picWidth, y+4, rgb(212, 218, 224))
	}
	c.rect(0, 620, picWidth, picHeight, rgb(190, 190, 184))
	for x := 0; x < picWidth; x += 150 { // paving joints
		c.rect(x, 620, x+4, picHeight, rgb(170, 170, 165))
	}
	bodies := []color.RGBA{rgb(46, 125, 50), rgb(30, 90, 170), rgb(235, 120, 20)}
	for i, col := range bodies {
		x := 170 + i*330
		lid := rgb(uint8(int(col.R)*3/4), uint8(int(col.G)*3/4), uint8(int(col.B)*3/4))
		c.polygon(col, image.Pt(x, 300), image.Pt(x+230, 300), image.Pt(x+215, 660), image.Pt(x+15, 660))
		c.rect(x-12, 270, x+242, 306, lid)
		c.rect(x+80, 250, x+150, 272, lid) // handle
		c.rect(x+65, 400, x+165, 470, rgb(245, 245, 240))
		c.circle(x+115, 435, 22, col)
		c.circle(x+40, 672, 30, rgb(40, 40, 40))
		c.circle(x+190, 672, 30, rgb(40, 40, 40))
	}
}

func drawRoadMap(c *canvas) {
	c.rect(0, 0, picWidth, picHeight, rgb(242, 236, 220))
	park := rgb(188, 216, 160)
	c.rect(40, 40, 260, 170, park)
	c.rect(900, 520, 1160, 620, park)
	c.polygon(park, image.Pt(360, 520), image.Pt(780, 520), image.Pt(700, 620), image.Pt(420, 620))
	c.rect(0, 660, picWidth, 720, rgb(150, 196, 228)) // de vaart
	block := rgb(222, 208, 188)
	for _, r := range [][4]int{{330, 40, 560, 170}, {600, 40, 820, 170}, {880, 40, 1160, 170},
		{40, 230, 260, 310}, {330, 230, 820, 310}, {880, 230, 1160, 310},
		{40, 370, 260, 450}, {330, 370, 820, 450}, {880, 370, 1160, 450}} {
		c.rect(r[0], r[1], r[2], r[3], block)
	}
	road := func(x0, y0, x1, y1 int, col color.RGBA) {
		c.rect(x0-3, y0-3, x1+3, y1+3, rgb(170, 160, 150))
		c.rect(x0, y0, x1, y1, col)
	}
	white := rgb(255, 255, 255)
	road(0, 190, picWidth, 212, white)         // Stationsweg
	road(280, 0, 302, 660, white)              // Molenweg
	road(840, 0, 862, 660, white)              // Kerkbrink
	road(0, 480, picWidth, 502, white)         // Dijkweg
	road(302, 330, 840, 352, rgb(200, 40, 40)) // Dorpsstraat, closed
	for x := 330; x < 820; x += 60 {           // works: white crosses
		c.polygon(white, image.Pt(x, 333), image.Pt(x+6, 333), image.Pt(x+26, 349), image.Pt(x+20, 349))
		c.polygon(white, image.Pt(x+20, 333), image.Pt(x+26, 333), image.Pt(x+6, 349), image.Pt(x, 349))
	}
	orange := rgb(240, 130, 0)
	dash := func(x0, y0, x1, y1 int) {
		if y0 == y1 {
			for x := x0; x < x1; x += 40 {
				c.rect(x, y0-5, min(x+24, x1), y0+5, orange)
			}
			return
		}
		for y := y0; y < y1; y += 40 {
			c.rect(x0-5, y, x0+5, min(y+24, y1), orange)
		}
	}
	dash(291, 352, 291, 491)
	dash(291, 491, 851, 491)
	dash(851, 352, 851, 491)
	for _, x := range []int{330, 812} { // no-entry signs at both ends
		c.circle(x, 341, 30, white)
		c.circle(x, 341, 26, rgb(200, 30, 30))
		c.rect(x-17, 336, x+17, 346, white)
	}
}

func drawHeat(c *canvas) {
	c.gradient(0, 560, rgb(255, 196, 92), rgb(255, 240, 200))
	c.circle(880, 190, 160, rgb(255, 222, 130))
	c.circle(880, 190, 110, rgb(255, 244, 150))
	roof := rgb(110, 70, 62)
	wall := rgb(168, 96, 74)
	c.rect(0, 560, picWidth, picHeight, rgb(200, 184, 150))
	for i, h := range []int{150, 210, 170, 240, 160, 200} {
		c.house(420+i*125, 600, 110, h, wall, roof)
	}
	c.rect(0, 600, picWidth, picHeight, rgb(186, 170, 140))
	c.ellipse(210, 690, 190, 40, rgb(150, 136, 110)) // shade
	c.rect(190, 380, 230, 690, rgb(110, 78, 50))     // trunk
	green := rgb(70, 130, 60)
	for _, b := range [][3]int{{210, 330, 130}, {120, 390, 90}, {300, 390, 90}, {210, 420, 100}} {
		c.circle(b[0], b[1], b[2], green)
	}
	c.rect(100, 640, 320, 656, rgb(120, 90, 60)) // bench
	c.rect(115, 656, 127, 690, rgb(90, 70, 50))
	c.rect(293, 656, 305, 690, rgb(90, 70, 50))
}

// logo is the demo organisation's avatar: a shield with three towers.
var logo = picture{name: "logo.png", alt: "Gemeente Demodorp", width: 400, height: 400, draw: func(c *canvas) {
	c.rect(0, 0, 400, 400, rgb(0, 82, 147))
	c.polygon(rgb(250, 250, 250), image.Pt(80, 70), image.Pt(320, 70), image.Pt(320, 230), image.Pt(200, 340), image.Pt(80, 230))
	for i := range 3 {
		x := 112 + i*64
		c.rect(x, 130, x+48, 250-abs(i-1)*20, rgb(200, 40, 40))
		c.rect(x, 118, x+12, 132, rgb(200, 40, 40))
		c.rect(x+18, 118, x+30, 132, rgb(200, 40, 40))
		c.rect(x+36, 118, x+48, 132, rgb(200, 40, 40))
	}
}}

// banner is the demo organisation's header image.
var banner = picture{name: "header.png", width: 1500, height: 500,
	alt: "De dijk van Demodorp met het dorp erachter, onder een lichte lucht", draw: func(c *canvas) {
		c.gradient(0, 320, rgb(150, 190, 225), rgb(225, 236, 245))
		c.rect(0, 320, 1500, 500, rgb(110, 165, 80))
		c.polygon(rgb(86, 140, 66), image.Pt(0, 360), image.Pt(1500, 300), image.Pt(1500, 340), image.Pt(0, 400))
		c.rect(0, 420, 1500, 500, rgb(54, 104, 150)) // the river
		for i := range 9 {
			c.house(120+i*150, 330, 100, 60, rgb(160, 70, 50), rgb(60, 60, 70))
		}
	}}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func drawDyke(c *canvas) {
	c.gradient(0, 580, rgb(168, 186, 204), rgb(222, 228, 234))
	for _, b := range [][4]int{{220, 120, 150, 45}, {330, 100, 120, 50}, {820, 150, 170, 50}, {960, 130, 130, 45}} {
		c.ellipse(b[0], b[1], b[2], b[3], rgb(238, 240, 244))
	}
	// The polder behind the dyke lies below the water.
	c.polygon(rgb(86, 140, 66), image.Pt(420, 800), image.Pt(565, 330), image.Pt(690, 330),
		image.Pt(860, 580), image.Pt(1200, 580), image.Pt(1200, 800))
	c.rect(560, 322, 695, 332, rgb(120, 120, 120)) // road on the crest
	c.rect(860, 580, 1200, 800, rgb(120, 172, 88))
	for i, w := range []int{90, 110, 90} {
		c.house(900+i*105, 580, w-10, 70, rgb(160, 70, 50), rgb(60, 60, 70))
	}
	// The river stands high against the dyke.
	water := rgb(54, 104, 150)
	c.polygon(water, image.Pt(0, 380), image.Pt(550, 380), image.Pt(420, 800), image.Pt(0, 800))
	for y := 410; y < 800; y += 45 {
		for x := (y / 45 % 2) * 60; x < 480-(y-380)/3; x += 120 {
			c.rect(x, y, x+50, y+5, rgb(96, 146, 190))
		}
	}
	// A gauge with red marks every 40 pixels.
	c.rect(270, 240, 292, 800, rgb(250, 250, 250))
	for y := 250; y < 800; y += 40 {
		c.rect(270, y, 292, y+12, rgb(200, 40, 40))
	}
}
