package export

import (
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"
)

// pqMessage and pqReward are the fixed nested types of verl's schema.
type pqMessage struct {
	Role    string `parquet:"role"`
	Content string `parquet:"content"`
}

type pqReward struct {
	Style       string `parquet:"style"`
	GroundTruth string `parquet:"ground_truth"`
}

// rowType builds the Go struct type of one parquet row for the given
// extra fields (column order: data_source, prompt, ability, reward_model,
// extra_info{index, split, extras in name order}).
func rowType(extras []extraField) reflect.Type {
	info := []reflect.StructField{
		{Name: "Index", Type: reflect.TypeFor[int64](), Tag: `parquet:"index"`},
		{Name: "Split", Type: reflect.TypeFor[string](), Tag: `parquet:"split"`},
	}
	for i, f := range extras {
		var t reflect.Type
		switch f.kind {
		case kindString:
			t = reflect.TypeFor[string]()
		case kindInt:
			t = reflect.TypeFor[int64]()
		case kindFloat:
			t = reflect.TypeFor[float64]()
		case kindBool:
			t = reflect.TypeFor[bool]()
		case kindStrings:
			t = reflect.TypeFor[[]string]()
		}
		tag := f.name
		if f.optional {
			tag += ",optional"
			if f.kind != kindStrings {
				t = reflect.PointerTo(t)
			}
		}
		if f.kind == kindStrings {
			tag += ",list"
		}
		info = append(info, reflect.StructField{Name: "X" + strconv.Itoa(i), Type: t, Tag: reflect.StructTag(`parquet:"` + tag + `"`)})
	}
	return reflect.StructOf([]reflect.StructField{
		{Name: "DataSource", Type: reflect.TypeFor[string](), Tag: `parquet:"data_source"`},
		{Name: "Prompt", Type: reflect.TypeFor[[]pqMessage](), Tag: `parquet:"prompt,list"`},
		{Name: "Ability", Type: reflect.TypeFor[string](), Tag: `parquet:"ability"`},
		{Name: "RewardModel", Type: reflect.TypeFor[pqReward](), Tag: `parquet:"reward_model"`},
		{Name: "ExtraInfo", Type: reflect.StructOf(info), Tag: `parquet:"extra_info"`},
	})
}

// fillRow sets the fields of row (a value of rowType(extras)) from record
// r as its copy with the given index.
func fillRow(row reflect.Value, r *Record, index int64, extras []extraField) {
	row.Field(0).SetString(r.DataSource)
	msgs := make([]pqMessage, len(r.Prompt))
	for i, m := range r.Prompt {
		msgs[i] = pqMessage{Role: m.Role, Content: m.Content}
	}
	row.Field(1).Set(reflect.ValueOf(msgs))
	row.Field(2).SetString(r.Ability)
	row.Field(3).Set(reflect.ValueOf(pqReward{Style: r.RewardModel.Style, GroundTruth: r.RewardModel.GroundTruth}))
	info := row.Field(4)
	info.Field(0).SetInt(index)
	info.Field(1).SetString(r.ExtraInfo.Split)
	for i, f := range extras {
		dst := info.Field(2 + i)
		v, ok := r.ExtraInfo.Fields[f.name]
		if !ok {
			dst.SetZero() // nil pointer or nil list: null
			continue
		}
		n, _, _ := normalize(v) // validated by checkRecords
		if f.kind == kindFloat {
			if iv, isInt := n.(int64); isInt {
				n = float64(iv)
			}
		}
		val := reflect.ValueOf(n)
		if dst.Kind() == reflect.Pointer {
			p := reflect.New(dst.Type().Elem())
			p.Elem().Set(val)
			val = p
		}
		dst.Set(val)
	}
}

// WriteParquet writes records repeat times (the whole list, then again,
// ...) to path in verl's schema:
//
//	data_source  string
//	prompt       list<struct<role: string, content: string>>
//	ability      string
//	reward_model struct<style: string, ground_truth: string>
//	extra_info   struct<index: int64, split: string, <extra fields>...>
//
// Copy k of record i gets extra_info.index = Index + k*len(records). Extra
// fields become typed columns of extra_info (string, int64, double, bool,
// list<string>), in name order, nullable when some record lacks them. The
// file is snappy-compressed and written atomically.
func WriteParquet(path string, records []Record, repeat int) error {
	extras, err := checkRecords(records, repeat)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return writeAtomic(path, func(w io.Writer) error {
		return encodeParquet(w, records, repeat, extras)
	})
}

// EncodeParquet writes what WriteParquet writes to w (for stdout or a
// pipe; a file should go through WriteParquet, which is atomic).
func EncodeParquet(w io.Writer, records []Record, repeat int) error {
	extras, err := checkRecords(records, repeat)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return encodeParquet(w, records, repeat, extras)
}

func encodeParquet(w io.Writer, records []Record, repeat int, extras []extraField) (err error) {
	defer func() {
		// parquet-go panics on schema misuse; report it as an error.
		if p := recover(); p != nil {
			err = fmt.Errorf("export: parquet: %v", p)
		}
	}()
	t := rowType(extras)
	schema := parquet.SchemaOf(reflect.New(t).Interface())
	pw := parquet.NewWriter(w, schema,
		parquet.Compression(&snappy.Codec{}),
		parquet.CreatedBy("poly", "", ""),
		parquet.MaxRowsPerRowGroup(100_000),
	)
	row := reflect.New(t)
	for k := 0; k < repeat; k++ {
		for i := range records {
			row.Elem().SetZero()
			fillRow(row.Elem(), &records[i], rowIndex(records, i, k), extras)
			if err := pw.Write(row.Interface()); err != nil {
				return fmt.Errorf("export: parquet: %w", err)
			}
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("export: parquet: %w", err)
	}
	return nil
}
