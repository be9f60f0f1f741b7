package pipelines

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// TrimCommitted deletes, on a single broker (the embedded one), the records
// of the stages' input topics that their consumer group has committed: they
// are durable downstream and will never be read again, so the broker's log
// and memory stay bounded in a long run. It returns how many records were
// trimmed. On a real cluster, use topic retention instead.
//
// kafka-go has no DeleteRecords call, so the request is encoded with
// franz-go's kmsg (the wire format kfake itself decodes) and sent on a plain
// TCP connection.
func TrimCommitted(ctx context.Context, broker string) (int64, error) {
	client := &kafka.Client{Addr: kafka.TCP(broker), Timeout: 10 * time.Second}
	req := kmsg.NewPtrDeleteRecordsRequest()
	req.Version = 1
	req.TimeoutMillis = 10000
	var total int64
	for _, g := range stageGroups {
		md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: g.topics})
		if err != nil {
			return 0, fmt.Errorf("pipelines: trim: metadata: %w", err)
		}
		parts := map[string][]int{}
		lreq := map[string][]kafka.OffsetRequest{}
		for _, t := range md.Topics {
			for _, p := range t.Partitions {
				parts[t.Name] = append(parts[t.Name], p.ID)
				lreq[t.Name] = append(lreq[t.Name], kafka.FirstOffsetOf(p.ID))
			}
		}
		committed, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: g.group, Topics: parts})
		if err != nil {
			return 0, fmt.Errorf("pipelines: trim: committed offsets of %s: %w", g.group, err)
		}
		first, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: lreq})
		if err != nil {
			return 0, fmt.Errorf("pipelines: trim: first offsets: %w", err)
		}
		start := map[string]map[int]int64{}
		for t, ps := range first.Topics {
			start[t] = map[int]int64{}
			for _, p := range ps {
				start[t][p.Partition] = p.FirstOffset
			}
		}
		for t, ps := range committed.Topics {
			rt := kmsg.NewDeleteRecordsRequestTopic()
			rt.Topic = t
			for _, p := range ps {
				if p.Error != nil || p.CommittedOffset <= start[t][p.Partition] {
					continue
				}
				rp := kmsg.NewDeleteRecordsRequestTopicPartition()
				rp.Partition, rp.Offset = int32(p.Partition), p.CommittedOffset
				rt.Partitions = append(rt.Partitions, rp)
				total += p.CommittedOffset - start[t][p.Partition]
			}
			if len(rt.Partitions) > 0 {
				req.Topics = append(req.Topics, rt)
			}
		}
	}
	if len(req.Topics) == 0 {
		return 0, nil
	}
	resp := kmsg.NewPtrDeleteRecordsResponse()
	if err := roundTrip(ctx, broker, req, resp); err != nil {
		return 0, fmt.Errorf("pipelines: trim: delete records: %w", err)
	}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if p.ErrorCode != 0 {
				return 0, fmt.Errorf("pipelines: trim: delete records %s/%d: error code %d", t.Topic, p.Partition, p.ErrorCode)
			}
		}
	}
	return total, nil
}

// roundTrip sends one non-flexible request (header v1) and reads its
// response (header v0).
func roundTrip(ctx context.Context, addr string, req kmsg.Request, resp kmsg.Response) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(30 * time.Second))
	}
	const clientID = "fabbisogni"
	buf := make([]byte, 4, 64)
	buf = binary.BigEndian.AppendUint16(buf, uint16(req.Key()))
	buf = binary.BigEndian.AppendUint16(buf, uint16(req.GetVersion()))
	buf = binary.BigEndian.AppendUint32(buf, 1) // correlation id
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(clientID)))
	buf = append(buf, clientID...)
	buf = req.AppendTo(buf)
	binary.BigEndian.PutUint32(buf, uint32(len(buf)-4))
	if _, err := conn.Write(buf); err != nil {
		return err
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return err
	}
	body := make([]byte, binary.BigEndian.Uint32(size[:]))
	if _, err := io.ReadFull(conn, body); err != nil {
		return err
	}
	if len(body) < 4 || binary.BigEndian.Uint32(body) != 1 {
		return fmt.Errorf("unexpected response header")
	}
	resp.SetVersion(req.GetVersion())
	return resp.ReadFrom(body[4:])
}
