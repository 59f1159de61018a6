package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// MaxBOMDataBytes bounds a saved project's BOM document.
const MaxBOMDataBytes = 1 << 20

// Project is a saved bill of materials (the seed's Project).
type Project struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	FileName    string          `json:"fileName"`
	BOMData     json.RawMessage `json:"bomData,omitempty"` // absent in lists: it can be a megabyte
	LastUsedAt  *time.Time      `json:"lastUsedAt"`
	CreatedAt   time.Time       `json:"createdAt"`
	UpdatedAt   time.Time       `json:"updatedAt"`
}

// ProjectInput is a new project (name, fileName and bomData required) or a PATCH (nil
// leaves a field unchanged; an empty description removes it).
type ProjectInput struct {
	Name        *string
	Description *string
	FileName    *string
	BOMData     json.RawMessage
}

// ProjectFilter selects a page of a user's projects.
type ProjectFilter struct {
	UserID      string
	Page, Limit int
}

var errProjectNotFound = ErrNotFound("Proiectul nu există.", "The project does not exist.")

func (p *Project) validate() error {
	v := &Validator{}
	p.Name = v.Text("name", p.Name, 1, 200, "Numele proiectului trebuie să aibă între 1 și 200 de caractere.", "The project name must be 1 to 200 characters long.")
	if p.Description != nil {
		d := v.Text("description", *p.Description, 0, 2000,
			"Descrierea poate avea cel mult 2000 de caractere.", "The description may be at most 2000 characters long.")
		p.Description = &d
		if d == "" {
			p.Description = nil
		}
	}
	p.FileName = v.Text("fileName", p.FileName, 1, 255, "Numele fișierului trebuie să aibă între 1 și 255 de caractere.", "The file name must be 1 to 255 characters long.")
	switch {
	case len(p.BOMData) == 0 || (p.BOMData[0] != '{' && p.BOMData[0] != '['):
		v.Add("bomData", "Lista de materiale trebuie să fie un obiect sau o listă JSON.", "bomData must be a JSON object or array.")
	case len(p.BOMData) > MaxBOMDataBytes:
		return Errorf(ECodeTooLarge, "Lista de materiale depășește 1 MB.", "bomData exceeds 1 MB.")
	case !json.Valid(p.BOMData):
		v.Add("bomData", "Lista de materiale nu este JSON valid.", "bomData is not valid JSON.")
	}
	return v.Err()
}

func (in ProjectInput) apply(p *Project) {
	if in.Name != nil {
		p.Name = *in.Name
	}
	if in.Description != nil {
		p.Description = in.Description
		if *in.Description == "" { // stored as NULL: answer what a read will give
			p.Description = nil
		}
	}
	if in.FileName != nil {
		p.FileName = *in.FileName
	}
	if in.BOMData != nil {
		p.BOMData = in.BOMData
	}
}

const projectColumns = `id, name, description, file_name, bom_data, last_used_at, created_at, updated_at`

var projects = ownedTable[Project]{name: "projects", columns: projectColumns, notFound: errProjectNotFound,
	scan: func(row rowScanner) (*Project, error) { return scanProject(row, true) }}

func scanProject(row rowScanner, withData bool) (*Project, error) {
	var p Project
	var desc, lastUsed sql.NullString
	var data, created, updated string
	if err := row.Scan(&p.ID, &p.Name, &desc, &p.FileName, &data, &lastUsed, &created, &updated); err != nil {
		return nil, err
	}
	p.Description = parseNullText(desc)
	if withData {
		p.BOMData = json.RawMessage(data)
	}
	p.LastUsedAt = parseNullTime(lastUsed)
	p.CreatedAt, _ = ParseTime(created)
	p.UpdatedAt, _ = ParseTime(updated)
	return &p, nil
}

// FindProjects returns a page of the user's projects (without their BOM data), the most
// recently used first, and how many there are in all.
func (db *DB) FindProjects(ctx context.Context, f ProjectFilter) ([]Project, int, error) {
	limit, offset, err := pageBounds(f.Page, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	out := []Project{}
	var total int
	err = db.Read(ctx, func(tx *Tx) error {
		// '' for bom_data: the list never reads the (possibly large) document.
		rows, err := tx.QueryContext(ctx, `SELECT id, name, description, file_name, '', last_used_at, created_at, updated_at,
				COUNT(*) OVER()
			FROM projects WHERE user_id = ?
			ORDER BY COALESCE(last_used_at, updated_at) DESC, id LIMIT ? OFFSET ?`,
			f.UserID, limit, offset)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProject(withTotal(rows, &total), false)
			if err != nil {
				return err
			}
			out = append(out, *p)
		}
		if err := rows.Err(); err != nil || len(out) > 0 {
			return err
		}
		total, err = totalPastEnd(ctx, tx, offset, `SELECT COUNT(*) FROM projects WHERE user_id = ?`, f.UserID)
		return err
	})
	return out, total, err
}

// Project returns the user's project with its BOM data and records that it was opened.
func (db *DB) Project(ctx context.Context, userID, id string) (*Project, error) {
	var p *Project
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE projects SET last_used_at = ? WHERE id = ? AND user_id = ?`,
			FormatTime(tx.Now), id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errProjectNotFound // another user's project is as absent as a missing one
		}
		p, err = projects.get(ctx, tx, userID, id)
		return err
	})
	return p, err
}

// CreateProject saves a new project for the user.
func (db *DB) CreateProject(ctx context.Context, userID string, in ProjectInput) (*Project, error) {
	p := &Project{}
	in.apply(p)
	if err := p.validate(); err != nil {
		return nil, err
	}
	err := db.Write(ctx, func(tx *Tx) error {
		if err := checkQuota(ctx, tx, projectQuota, userID, "", 1, int64(len(p.BOMData))); err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.UpdatedAt = NewID(), tx.Now, tx.Now
		_, err := tx.ExecContext(ctx, `INSERT INTO projects (`+projectColumns+`, user_id) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
			p.ID, p.Name, nullIfEmpty(p.Description), p.FileName, string(p.BOMData), FormatTime(tx.Now), FormatTime(tx.Now), userID)
		if err != nil {
			return err
		}
		return keepProjectFile(ctx, tx, userID, p.ID, p.BOMData)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateProject changes the set fields of the user's project.
func (db *DB) UpdateProject(ctx context.Context, userID, id string, in ProjectInput) (*Project, error) {
	return projects.update(ctx, db, userID, id, func(tx *Tx, p *Project) error {
		before := len(p.BOMData)
		in.apply(p)
		if err := p.validate(); err != nil {
			return err
		}
		if len(p.BOMData) > before { // a change that does not grow always fits
			if err := checkQuota(ctx, tx, projectQuota, userID, id, 0, int64(len(p.BOMData))); err != nil {
				return err
			}
		}
		p.UpdatedAt = tx.Now
		_, err := tx.ExecContext(ctx, `UPDATE projects SET name = ?, description = ?, file_name = ?, bom_data = ?, updated_at = ?
			WHERE id = ? AND user_id = ?`,
			p.Name, nullIfEmpty(p.Description), p.FileName, string(p.BOMData), FormatTime(tx.Now), id, userID)
		if err != nil {
			return err
		}
		return keepProjectFile(ctx, tx, userID, id, p.BOMData)
	})
}

// DeleteProject removes the user's project.
func (db *DB) DeleteProject(ctx context.Context, userID, id string) error {
	return projects.delete(ctx, db, userID, id)
}
