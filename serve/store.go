package serve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/lang"
)

// SpecExt is the file extension of spec files.
const SpecExt = ".poly"

// Sample is one servable compiled sample: its id and its checker.
type Sample struct {
	// ID is the sample's id in its spec (`sample colony_capacitor ...`).
	ID string
	// Grade grades a whole completion against the sample's answer with
	// its compiled checker.
	Grade func(completion string) grade.Result
}

// Family is a servable problem family: its problems are served as
// "<family id>#<index>", the ids poly export gives them.
type Family struct {
	// ID is the family's id in its spec.
	ID string
	// Size is the number of distinct problems (indices 0..Size-1).
	Size int
	// Problem builds problem i.
	Problem func(i int) (Sample, error)
}

// Unit is what compiling one spec file gives the service.
type Unit struct {
	// Hash identifies the spec's content (the file and its imports).
	Hash string
	// Samples are the file's samples, in source order.
	Samples []Sample
	// Families are the file's problem families, in source order.
	Families []Family
	// Files holds the sources for rendering diagnostics; may be nil.
	Files *lang.FileSet
	// Deps are the other files the spec read (its imports): a change to
	// one recompiles it.
	Deps []string
}

// Compiler compiles one spec file. A result with error diagnostics is not
// served; the unit may then be nil.
type Compiler func(path string) (*Unit, lang.Diagnostics)

// Entry is a served sample as a request finds it.
type Entry struct {
	// ID is the sample id (or, for Alias entries, the spec file's name).
	ID string
	// SampleID is the id of the sample in its spec.
	SampleID string
	// Hash is the hash of the spec version that is served.
	Hash string
	// File is the spec file, as given on the command line or found in a
	// directory given there.
	File string
	// Alias reports whether ID is the spec file's name (without .poly)
	// standing for the only sample it holds.
	Alias bool
	// Grade is the sample's checker.
	Grade func(completion string) grade.Result
}

// FileState is the state of one served spec file, as GET /v1/specs shows.
type FileState struct {
	// File is the file name as given (or found under a given directory).
	File string `json:"file"`
	// Hash is the hash of the version being served ("" if none is).
	Hash string `json:"hash"`
	// Samples are the ids of the served samples.
	Samples []string `json:"samples"`
	// Families are the ids of the served problem families.
	Families []string `json:"families"`
	// LoadedAt is when the served version was compiled.
	LoadedAt time.Time `json:"loaded_at"`
	// Error is set when the last reload failed: the last good version is
	// still served, and Diagnostics say what is wrong with the new one.
	Error string `json:"error,omitempty"`
	// Diagnostics are those of the last failed reload.
	Diagnostics lang.Diagnostics `json:"diagnostics,omitempty"`

	abs      string
	explicit bool // named on the command line (kept when it vanishes)
	samples  []Sample
	families []Family
	deps     map[string]bool // absolute paths of the imports
}

// familyEntry is a served family, with the problems built so far.
type familyEntry struct {
	Family
	hash, file string
	mu         sync.Mutex
	built      map[int]*Entry
}

// maxBuiltProblems bounds the problems cached per family (and spec
// version); more are built on each request.
const maxBuiltProblems = 4096

// problem returns the entry of problem i, building it on first use.
func (f *familyEntry) problem(id string, i int) (*Entry, bool) {
	f.mu.Lock()
	e, ok := f.built[i]
	f.mu.Unlock()
	if ok {
		return e, true
	}
	smp, err := f.Problem(i)
	if err != nil {
		return nil, false
	}
	e = &Entry{ID: id, SampleID: smp.ID, Hash: f.hash, File: f.file, Grade: smp.Grade}
	f.mu.Lock()
	if len(f.built) < maxBuiltProblems {
		f.built[i] = e
	}
	f.mu.Unlock()
	return e, true
}

// snapshot is an immutable view of everything served; Store swaps it
// whole, so a request sees one consistent version.
type snapshot struct {
	ids   map[string]*Entry
	fams  map[string]*familyEntry
	files map[string]*FileState // by absolute path
}

// LoadError is returned when specs fail to compile at start-up: the service
// does not start on a broken spec.
type LoadError struct {
	// Diagnostics are every problem found, sorted.
	Diagnostics lang.Diagnostics
	// Files holds the sources, for rendering.
	Files *lang.FileSet
	// Problems are errors that are not diagnostics (a missing path).
	Problems []string
}

func (e *LoadError) Error() string {
	var b strings.Builder
	for _, p := range e.Problems {
		b.WriteString(p + "\n")
	}
	e.Diagnostics.Render(&b, e.Files)
	return strings.TrimRight(b.String(), "\n")
}

// Store holds the served specs and reloads them. Lookups are lock-free;
// loads are serialised.
type Store struct {
	compile  Compiler
	log      *slog.Logger
	diagOut  io.Writer
	onReload func(ok bool)

	mu     sync.Mutex
	roots  []string        // absolute directories given on the command line
	dirs   map[string]bool // every directory to watch
	addDir func(string)    // watches one more directory (set while watching)
	cur    atomic.Pointer[snapshot]
}

// NewStore compiles the spec files and directories in paths (a directory
// serves every .poly file under it). Any error diagnostic makes it fail
// with a *LoadError. Diagnostics of later failed reloads are rendered to
// diagOut (nil: discarded) and logged on log.
func NewStore(compile Compiler, paths []string, log *slog.Logger, diagOut io.Writer) (*Store, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if diagOut == nil {
		diagOut = io.Discard
	}
	s := &Store{compile: compile, log: log, diagOut: diagOut, dirs: map[string]bool{}}
	snap := &snapshot{ids: map[string]*Entry{}, fams: map[string]*familyEntry{}, files: map[string]*FileState{}}
	lerr := &LoadError{Files: lang.NewFileSet()}
	dirs := s.dirs
	type found struct {
		abs, shown string
		explicit   bool
	}
	var files []found
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			lerr.Problems = append(lerr.Problems, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		fi, err := os.Stat(abs)
		if err != nil {
			lerr.Problems = append(lerr.Problems, fmt.Sprintf("%s: %v", p, pathErr(err)))
			continue
		}
		if !fi.IsDir() {
			files = append(files, found{abs, p, true})
			dirs[filepath.Dir(abs)] = true
			continue
		}
		s.roots = append(s.roots, abs)
		n := 0
		err = filepath.WalkDir(abs, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if q != abs && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				dirs[q] = true
				return nil
			}
			if isSpecName(q) {
				rel, _ := filepath.Rel(abs, q)
				files = append(files, found{q, filepath.Join(p, rel), false})
				n++
			}
			return nil
		})
		if err != nil {
			lerr.Problems = append(lerr.Problems, fmt.Sprintf("%s: %v", p, pathErr(err)))
		} else if n == 0 {
			lerr.Problems = append(lerr.Problems, fmt.Sprintf("%s: no %s files in this directory", p, SpecExt))
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].abs < files[j].abs })
	for i, f := range files {
		if i > 0 && files[i-1].abs == f.abs {
			continue // named twice
		}
		st := &FileState{File: f.shown, abs: f.abs, explicit: f.explicit}
		unit, diags := s.compileChecked(f.abs, st.File, snap)
		if diags.HasErrors() {
			lerr.Diagnostics = append(lerr.Diagnostics, diags...)
			if unit != nil && unit.Files != nil {
				addFiles(lerr.Files, unit.Files, diags)
			}
			continue
		}
		st.setUnit(unit, time.Now())
		for d := range st.deps {
			dirs[filepath.Dir(d)] = true
		}
		snap.files[f.abs] = st
		snap.rebuild()
	}
	if len(lerr.Problems) > 0 || lerr.Diagnostics.HasErrors() {
		lerr.Diagnostics.Sort()
		return nil, lerr
	}
	s.cur.Store(snap)
	return s, nil
}

func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// addFiles copies into dst the sources that diags mention.
func addFiles(dst, src *lang.FileSet, diags lang.Diagnostics) {
	for _, d := range diags {
		if f := src.File(d.Range.Start.File); f != nil && dst.File(f.Name) == nil {
			dst.Add(f)
		}
	}
}

func isSpecName(p string) bool {
	base := filepath.Base(p)
	return strings.HasSuffix(base, SpecExt) && !strings.HasPrefix(base, ".")
}

// compileChecked compiles abs and checks its sample ids against the other
// files in snap. A recovered panic in the compiler becomes a diagnostic.
func (s *Store) compileChecked(abs, shown string, snap *snapshot) (unit *Unit, diags lang.Diagnostics) {
	func() {
		defer func() {
			if r := recover(); r != nil {
				unit = nil
				diags = lang.Diagnostics{lang.Errorf(fileRange(shown), "internal error: the compiler panicked: %v", r)}
			}
		}()
		unit, diags = s.compile(shown)
	}()
	if diags.HasErrors() {
		return unit, diags
	}
	if unit == nil {
		return nil, lang.Diagnostics{lang.Errorf(fileRange(shown), "the compiler returned nothing")}
	}
	seen := map[string]bool{}
	claim := func(kind, id string, taken func(*FileState) bool) {
		if seen[kind+" "+id] {
			diags.Errorf(fileRange(shown), "%s id %q is defined twice in this file", kind, id)
		}
		seen[kind+" "+id] = true
		for p, other := range snap.files {
			if p != abs && taken(other) {
				diags.Errorf(fileRange(shown), "%s id %q is also defined in %s; served ids must be unique", kind, id, other.File)
			}
		}
	}
	for _, smp := range unit.Samples {
		claim("sample", smp.ID, func(o *FileState) bool { return slices.Contains(o.Samples, smp.ID) })
	}
	for _, f := range unit.Families {
		claim("family", f.ID, func(o *FileState) bool { return slices.Contains(o.Families, f.ID) })
	}
	return unit, diags
}

func fileRange(file string) lang.Range {
	return lang.Range{Start: lang.Pos{File: file}, End: lang.Pos{File: file}}
}

func (st *FileState) setUnit(u *Unit, at time.Time) {
	st.Hash = u.Hash
	st.samples = u.Samples
	st.Samples = make([]string, len(u.Samples))
	for i, smp := range u.Samples {
		st.Samples[i] = smp.ID
	}
	st.families = u.Families
	st.deps = map[string]bool{}
	for _, d := range u.Deps {
		if abs, err := filepath.Abs(d); err == nil {
			st.deps[filepath.Clean(abs)] = true
		}
	}
	st.Families = make([]string, len(u.Families))
	for i, f := range u.Families {
		st.Families[i] = f.ID
	}
	st.LoadedAt = at
	st.Error = ""
	st.Diagnostics = nil
}

// rebuild recomputes the id index from files. Sample ids come first; then
// each file holding exactly one sample is also served under its file name
// (without .poly), unless that name is taken.
func (snap *snapshot) rebuild() {
	snap.ids = map[string]*Entry{}
	snap.fams = map[string]*familyEntry{}
	paths := make([]string, 0, len(snap.files))
	for p := range snap.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		st := snap.files[p]
		for _, smp := range st.samples {
			snap.ids[smp.ID] = &Entry{ID: smp.ID, SampleID: smp.ID, Hash: st.Hash, File: st.File, Grade: smp.Grade}
		}
		for _, f := range st.families {
			snap.fams[f.ID] = &familyEntry{Family: f, hash: st.Hash, file: st.File, built: map[int]*Entry{}}
		}
	}
	for _, p := range paths {
		st := snap.files[p]
		if len(st.samples) != 1 {
			continue
		}
		stem := strings.TrimSuffix(filepath.Base(p), SpecExt)
		if _, taken := snap.ids[stem]; taken {
			continue
		}
		smp := st.samples[0]
		snap.ids[stem] = &Entry{ID: stem, SampleID: smp.ID, Hash: st.Hash, File: st.File, Alias: true, Grade: smp.Grade}
	}
}

// clone copies the file table (FileStates are copied, samples shared).
func (snap *snapshot) clone() *snapshot {
	c := &snapshot{files: make(map[string]*FileState, len(snap.files))}
	for p, st := range snap.files {
		cp := *st
		c.files[p] = &cp
	}
	return c
}

// Lookup finds a served sample by id: a sample id, the file name of a
// one-sample spec, or "<family id>#<index>" for a family's problem.
func (s *Store) Lookup(id string) (*Entry, bool) {
	snap := s.cur.Load()
	if e, ok := snap.ids[id]; ok {
		return e, true
	}
	fam, idx, ok := strings.Cut(id, "#")
	if !ok {
		return nil, false
	}
	f, ok := snap.fams[fam]
	if !ok {
		return nil, false
	}
	i, err := strconv.Atoi(idx)
	if err != nil || i < 0 || i >= f.Size || strconv.Itoa(i) != idx {
		return nil, false
	}
	return f.problem(id, i)
}

// FamilyInfo describes a served family.
type FamilyInfo struct {
	// ID is the family id; its problems are "<id>#0" .. "<id>#<size-1>".
	ID string `json:"id"`
	// Size is the number of problems.
	Size int `json:"size"`
	// Hash is the hash of the spec version served.
	Hash string `json:"hash"`
	// File is the spec file.
	File string `json:"file"`
}

// Families returns every served family, sorted by id.
func (s *Store) Families() []FamilyInfo {
	snap := s.cur.Load()
	out := make([]FamilyInfo, 0, len(snap.fams))
	for _, f := range snap.fams {
		out = append(out, FamilyInfo{ID: f.ID, Size: f.Size, Hash: f.hash, File: f.file})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Files returns the state of every served file, sorted by name.
func (s *Store) Files() []FileState {
	snap := s.cur.Load()
	out := make([]FileState, 0, len(snap.files))
	for _, st := range snap.files {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// Entries returns every served id, sorted.
func (s *Store) Entries() []Entry {
	snap := s.cur.Load()
	out := make([]Entry, 0, len(snap.ids))
	for _, e := range snap.ids {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Len returns the number of served samples (aliases not counted).
func (s *Store) Len() int {
	n := 0
	for _, st := range s.cur.Load().files {
		n += len(st.samples)
	}
	return n
}

// Dirs returns the directories whose changes Reload should hear about:
// those of the served files, of the directories given and of the files
// the specs import.
func (s *Store) Dirs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.dirs))
	for d := range s.dirs {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// SetAddDir tells the store how to watch a directory it learns of later
// (the directory of a new import); nil stops it.
func (s *Store) SetAddDir(add func(dir string)) {
	s.mu.Lock()
	s.addDir = add
	s.mu.Unlock()
}

// Watches reports whether a changed path concerns the store: a spec file
// in a watched directory.
func (s *Store) Watches(path string) bool { return isSpecName(path) }

// Reload recompiles what the changed paths touch: every served file that
// imports a changed file or lies in its directory, and new spec files
// under a directory given on the command line. A file that
// fails to compile keeps its last good version, and its diagnostics are
// logged and shown in Files. A vanished file named on the command line is
// kept too; one found in a directory is dropped.
func (s *Store) Reload(changed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.cur.Load()
	snap := old.clone()
	affected := map[string]bool{}
	for _, c := range changed {
		c = filepath.Clean(c)
		if !isSpecName(c) {
			continue
		}
		dir := filepath.Dir(c)
		for p, st := range snap.files {
			if filepath.Dir(p) == dir || st.deps[c] {
				affected[p] = true
			}
		}
		if _, ok := snap.files[c]; !ok && s.underRoot(c) {
			affected[c] = true
		}
	}
	paths := make([]string, 0, len(affected))
	for p := range affected {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	changedAny := false
	for _, p := range paths {
		st, known := snap.files[p]
		if _, err := os.Stat(p); err != nil {
			switch {
			case !known:
				// a new file that is gone again
			case st.explicit:
				if st.Error == "" {
					st.Error = "the file is missing; serving the last good version"
					st.Diagnostics = nil
					s.log.Warn("spec file missing; serving the last good version", "file", st.File, "hash", st.Hash)
					changedAny = true
				}
			default:
				delete(snap.files, p)
				s.log.Info("spec file removed; no longer served", "file", st.File)
				changedAny = true
			}
			continue
		}
		if !known {
			st = &FileState{File: s.shownName(p), abs: p}
		}
		unit, diags := s.compileChecked(p, st.File, snap)
		if diags.HasErrors() {
			st.Error = fmt.Sprintf("reload failed with %d error(s); serving the last good version", diags.Count(lang.Error))
			if !known {
				st.Error = fmt.Sprintf("does not compile (%d error(s)); not served", diags.Count(lang.Error))
			}
			st.Diagnostics = diags
			snap.files[p] = st
			changedAny = true
			var b bytes.Buffer
			var files *lang.FileSet
			if unit != nil {
				files = unit.Files
			}
			diags.Render(&b, files)
			s.log.Warn("spec reload failed; serving the last good version", "file", st.File, "hash", st.Hash, "errors", diags.Count(lang.Error))
			s.diagOut.Write(b.Bytes())
			if s.onReload != nil {
				s.onReload(false)
			}
			continue
		}
		if known && unit.Hash == st.Hash && st.Error == "" {
			continue // saved without a change
		}
		prev := st.Hash
		st.setUnit(unit, time.Now())
		for d := range st.deps {
			if dir := filepath.Dir(d); !s.dirs[dir] {
				s.dirs[dir] = true
				if s.addDir != nil {
					s.addDir(dir)
				}
			}
		}
		snap.files[p] = st
		changedAny = true
		s.log.Info("spec reloaded", "file", st.File, "hash", st.Hash, "previous", prev, "samples", strings.Join(st.Samples, ","))
		if s.onReload != nil {
			s.onReload(true)
		}
	}
	if changedAny {
		snap.rebuild()
		s.cur.Store(snap)
	}
}

func (s *Store) underRoot(p string) bool {
	for _, r := range s.roots {
		if rel, err := filepath.Rel(r, p); err == nil && !strings.HasPrefix(rel, "..") {
			return true
		}
	}
	return false
}

// shownName names a file found under a root the way start-up does: relative
// to the working directory when possible.
func (s *Store) shownName(abs string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return abs
}
